// The activity feed: server-rendered entries, refreshed by router.refresh() on each signal.
import type { ActivityEntry } from "@/lib/games/activity";

function describe(entry: ActivityEntry): string {
  switch (entry.kind) {
    case "created":
      return `${entry.actor} created the game`;
    case "joined":
      return `${entry.actor} joined`;
    case "left":
      return `${entry.actor} left`;
    case "removed":
      return `${entry.actor} was removed`;
    case "renamed":
      return `${entry.actor} renamed the game to “${entry.detail}”`;
    case "milestone":
      return `${entry.actor} reached ${Number(entry.detail).toLocaleString("en")} clicks`;
  }
}

export function ActivityFeed({ entries }: { entries: ActivityEntry[] }) {
  return (
    <section aria-labelledby="activity-heading" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="activity-heading" className="mb-2 font-semibold">
        Activity
      </h2>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing yet.</p>
      ) : (
        <ol aria-label="Activity" className="space-y-1 text-sm">
          {entries.map((entry) => (
            <li key={entry.id} className="flex justify-between gap-3">
              <span>{describe(entry)}</span>
              <time
                dateTime={entry.createdAt.toISOString()}
                className="shrink-0 text-slate-400"
                suppressHydrationWarning
              >
                {entry.createdAt.toLocaleTimeString("en", { hour: "2-digit", minute: "2-digit" })}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
