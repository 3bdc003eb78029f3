"use client";
// The collapsible "bus log": every notification this tab receives, newest first, and how the tab
// is connected (the browser's shared connection, or a socket of its own), for workshops.
import { useCallback, useState } from "react";
import { useBusTransport } from "@/lib/bus/client/hooks";
import type { WireNotification } from "@/lib/bus/events";

const KEPT = 50;
type LogEntry = WireNotification & { key: number };

export function useBusLog(): [LogEntry[], (notification: WireNotification) => void] {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const record = useCallback((notification: WireNotification) => {
    setEntries((current) => [{ ...notification, key: (current[0]?.key ?? 0) + 1 }, ...current].slice(0, KEPT));
  }, []);
  return [entries, record];
}

const transportText = {
  shared: "shared — one connection for all tabs of this browser (SharedWorker)",
  tab: "tab — this tab's own connection",
} as const;

export function BusLog({ entries }: { entries: LogEntry[] }) {
  const transport = useBusTransport();
  return (
    <details className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <summary className="cursor-pointer font-semibold">Bus log ({entries.length})</summary>
      <p className="mt-2 text-sm text-slate-600">
        Transport:{" "}
        <output aria-label="Bus transport" className="font-mono text-slate-800">
          {transport ? transportText[transport] : "connecting…"}
        </output>
      </p>
      {entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">No notifications received yet. Click, or open this game in another tab.</p>
      ) : (
        <ol aria-label="Bus log" className="mt-2 max-h-72 space-y-1 overflow-auto font-mono text-xs">
          {entries.map((entry) => (
            <li key={entry.key} className="break-all">
              <span className="text-slate-400">#{entry.id ?? "volatile"}</span> <span className="text-indigo-700">{entry.channel}</span>{" "}
              <strong>{entry.event}</strong> {JSON.stringify(entry.payload)}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
