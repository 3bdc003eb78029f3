"use client";
// The tab's connection to the bus: connected, reconnecting or offline.
import { useBusStatus } from "@/lib/bus/client/hooks";

const styles = {
  connected: "bg-emerald-100 text-emerald-800",
  reconnecting: "bg-amber-100 text-amber-800",
  offline: "bg-slate-200 text-slate-700",
} as const;

const labels = { connected: "Live", reconnecting: "Reconnecting…", offline: "Offline" } as const;

export function ConnectionBadge() {
  const status = useBusStatus();
  return (
    <p
      role="status"
      aria-label={`Connection: ${status}`}
      className={`inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ${styles[status]}`}
    >
      <span
        aria-hidden
        className={`h-2 w-2 rounded-full ${status === "connected" ? "bg-emerald-500" : "bg-current"}`}
      />
      {labels[status]}
    </p>
  );
}
