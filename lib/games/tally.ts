// The game's conflated `tally`: its payload's shape and how two tallies of one window merge.
// Counts are absolute (each player's whole count so far), so the merge keeps the larger one and
// a tally applied twice, or out of order with another, changes nothing.
import { z } from "zod";
import { conflated } from "@/lib/bus/conflated-event";
import type { TallyEntry, TallyPayload } from "./channels";

const tallyEntrySchema = z.object({ id: z.number().int(), username: z.string(), clicks: z.number().int() });

export const tallySchema: z.ZodType<TallyPayload> = z.object({
  total: z.number().int(),
  contributions: z.array(tallyEntrySchema),
  round: z.object({ id: z.number().int(), contributions: z.array(tallyEntrySchema) }).optional(),
});

function mergeEntries(earlier: readonly TallyEntry[], later: readonly TallyEntry[]): TallyEntry[] {
  const byPlayer = new Map(earlier.map((entry) => [entry.id, entry]));
  for (const entry of later) {
    const known = byPlayer.get(entry.id);
    if (!known || entry.clicks >= known.clicks) byPlayer.set(entry.id, entry);
  }
  return [...byPlayer.values()];
}

export function mergeTallies(earlier: TallyPayload, later: TallyPayload): TallyPayload {
  const merged: TallyPayload = {
    total: Math.max(earlier.total, later.total),
    contributions: mergeEntries(earlier.contributions, later.contributions),
  };
  // A round that started inside the window replaces the one before it: scores never cross rounds.
  const round =
    earlier.round && later.round && earlier.round.id === later.round.id
      ? { id: later.round.id, contributions: mergeEntries(earlier.round.contributions, later.round.contributions) }
      : (later.round ?? earlier.round);
  return round ? { ...merged, round } : merged;
}

/**
 * One tally per game channel per window (100 ms: ten a second, whatever the room's size) once the
 * room is busy: more than 40 announcing commits a second, or more than 5,000 frames a second to
 * its phones on this node. A frame costs the node about 20 µs of its event loop (a tally to a
 * thousand phones, 20 ms), so 5,000 frames a second hold it about a tenth of the time; the
 * decaying count then lets only the first five tallies of a room of a thousand go out one by one
 * as it starts tapping (at 20,000 it let twenty, 400 ms of fan-out while the room's first batches
 * waited). A workshop table of four (about 27 commits a second at the page's 150 ms pace) gets
 * every tally at once, watched by up to 185 screens.
 */
export const tallyConflation = conflated({
  payload: tallySchema,
  merge: mergeTallies,
  busyAbove: 40,
  busyWritesAbove: 5_000,
});
