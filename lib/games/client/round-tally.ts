// The running round's standings on the presenter screen: seeded with the scores at render time,
// then updated from each `tally`'s round part (each listed player's whole score in that round,
// so the larger count wins and a tally seen twice changes nothing). The podium that
// `round_ended` brings is the server's word and replaces it.
import type { PodiumEntry } from "@/db/schema";
import type { TallyPayload } from "@/lib/games/channels";

export type RoundTally = { roundId: number; endsAt: number; scores: ReadonlyMap<number, PodiumEntry> };

export function emptyTally(roundId: number, endsAt: string): RoundTally {
  return { roundId, endsAt: Date.parse(endsAt), scores: new Map() };
}

export function seededTally(roundId: number, endsAt: string, scores: PodiumEntry[]): RoundTally {
  return { ...emptyTally(roundId, endsAt), scores: new Map(scores.map((entry) => [entry.userId, entry])) };
}

/**
 * The standings with a tally's round scores, when they are this round's. No time check: the
 * server counts a batch to the round it committed in, and a tally flushed just after the end
 * still carries scores committed before it.
 */
export function withRoundScores(tally: RoundTally, round: TallyPayload["round"]): RoundTally {
  if (!round || round.id !== tally.roundId || round.contributions.length === 0) return tally;
  const scores = new Map(tally.scores);
  for (const { id, username, clicks } of round.contributions) {
    if (clicks > (scores.get(id)?.clicks ?? -1)) scores.set(id, { userId: id, username, clicks });
  }
  return { ...tally, scores };
}

/** The top `size` so far, ranked as the server ranks a podium (clicks, then name in SQLite's binary order). */
export function leaders(tally: RoundTally, size = 3): PodiumEntry[] {
  const byName = (a: PodiumEntry, b: PodiumEntry) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);
  return [...tally.scores.values()].sort((a, b) => b.clicks - a.clicks || byName(a, b)).slice(0, size);
}
