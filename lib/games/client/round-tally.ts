// The running round's standings on the presenter screen: seeded with the scores at render time,
// then counted from `clicks` notifications stamped before the round's end (the notification is
// stored in the click's own transaction, so its time is the commit's). It is a live display: a
// batch committed between the render's bus cursor and its read of the scores counts twice; the
// podium that `round_ended` brings is the server's word and replaces it.
import type { PodiumEntry } from "@/db/schema";

export type RoundTally = { roundId: number; endsAt: number; scores: ReadonlyMap<number, PodiumEntry> };

export function emptyTally(roundId: number, endsAt: string): RoundTally {
  return { roundId, endsAt: Date.parse(endsAt), scores: new Map() };
}

export function seededTally(roundId: number, endsAt: string, scores: PodiumEntry[]): RoundTally {
  return { ...emptyTally(roundId, endsAt), scores: new Map(scores.map((entry) => [entry.userId, entry])) };
}

/** The tally with one more counted batch, if it was committed while the round ran. */
export function withBatch(tally: RoundTally, by: { id: number; username: string }, count: number, atMs: number): RoundTally {
  if (atMs >= tally.endsAt) return tally;
  const scores = new Map(tally.scores);
  scores.set(by.id, { userId: by.id, username: by.username, clicks: (scores.get(by.id)?.clicks ?? 0) + count });
  return { ...tally, scores };
}

/** The top `size` so far, ranked as the server ranks a podium (clicks, then name in SQLite's binary order). */
export function leaders(tally: RoundTally, size = 3): PodiumEntry[] {
  const byName = (a: PodiumEntry, b: PodiumEntry) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);
  return [...tally.scores.values()].sort((a, b) => b.clicks - a.clicks || byName(a, b)).slice(0, size);
}
