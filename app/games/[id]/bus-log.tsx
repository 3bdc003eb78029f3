"use client";
// The collapsible "bus log": the last notifications this tab received, newest first, and how the
// tab is connected (the browser's shared connection, or a socket of its own), for workshops.
import { useCallback, useState } from "react";
import { useBusTransport } from "@/lib/bus/client/hooks";
import type { WireNotification } from "@/lib/bus/events";

/** Entries kept: a busy room's tallies come ten a second, and the panel is for reading. */
const KEPT = 50;
/** A tally of a big room lists hundreds of players; the line shows its start. */
const PAYLOAD_CHARS = 240;
type LogEntry = Omit<WireNotification, "payload"> & { key: number; payload: string };

function payloadText(payload: unknown): string {
  const text = JSON.stringify(payload) ?? "";
  return text.length > PAYLOAD_CHARS ? `${text.slice(0, PAYLOAD_CHARS)}…` : text;
}

/** The log, and `record`, which takes a frame's notifications at once (one render per frame). */
export function useBusLog(): [LogEntry[], (notifications: readonly WireNotification[]) => void] {
  const [entries, setEntries] = useState<LogEntry[]>([]);
  const record = useCallback((notifications: readonly WireNotification[]) => {
    setEntries((current) => {
      let key = current[0]?.key ?? 0;
      // Only the newest KEPT are turned into text: a burst bigger than the log costs no more.
      const added = notifications
        .slice(-KEPT)
        .map((notification) => ({ ...notification, payload: payloadText(notification.payload), key: ++key }));
      return [...added.reverse(), ...current].slice(0, KEPT);
    });
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
        <p className="mt-2 text-sm text-slate-500">
          No notifications received yet. Click, or open this game in another tab.
        </p>
      ) : (
        <ol aria-label="Bus log" className="mt-2 max-h-72 space-y-1 overflow-auto font-mono text-xs">
          {entries.map((entry) => (
            <li key={entry.key} className="break-all">
              <span className="text-slate-400">#{entry.id ?? "volatile"}</span>{" "}
              <span className="text-indigo-700">{entry.channel}</span> <strong>{entry.event}</strong> {entry.payload}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
