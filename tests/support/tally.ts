// The game's conflated `tally` as tests read it: its payload, parsed (stricter than the server's
// own schema in lib/games/tally.ts, so a test never checks the server against the code it tests),
// and the client's rule for applying it (docs/bus.md, "Conflated events"): counts are absolute,
// so tallies folded by max, in any order and repeats included, end where the game stands.
import { z } from "zod";
import { storedRow } from "./stored-rows";
import type { StoredDatabase } from "./test-database";

const tallyEntry = z.strictObject({
  id: z.number().int().positive(),
  username: z.string(),
  clicks: z.number().int().nonnegative(),
});

export const tallyPayload = z.strictObject({
  total: z.number().int().nonnegative(),
  contributions: z.array(tallyEntry),
  round: z.strictObject({ id: z.number().int().positive(), contributions: z.array(tallyEntry) }).optional(),
});
export type TallyPayloadShape = z.infer<typeof tallyPayload>;

/** What a client holds after applying tallies: the largest total and, per player id, the largest count. */
export class TallyFold {
  total = 0;
  readonly clicks = new Map<number, number>();
  /** Tallies applied. */
  applied = 0;

  apply(payload: TallyPayloadShape): void {
    this.applied += 1;
    this.total = Math.max(this.total, payload.total);
    for (const { id, clicks } of payload.contributions) this.clicks.set(id, Math.max(this.clicks.get(id) ?? 0, clicks));
  }

  /** The fold as a plain object, for `toEqual` against the database (players sorted by id). */
  view(): { total: number; clicks: [number, number][] } {
    return { total: this.total, clicks: [...this.clicks].sort(([a], [b]) => a - b) };
  }
}

const countRow = z.strictObject({ waiting: z.number().int() });

/** Conflated announcements of game `gameId` still waiting in bus_conflated: all, or of one event. */
async function waitingOf(database: StoredDatabase, gameId: number, event?: string): Promise<number> {
  const channel = `game:${gameId}`;
  const query = "SELECT COUNT(*) AS waiting FROM bus_conflated WHERE channel = ?";
  const row =
    event === undefined
      ? await storedRow(database, query, channel)
      : await storedRow(database, `${query} AND event = ?`, channel, event);
  return countRow.parse(row).waiting;
}

/**
 * Tallies of game `gameId` committed inside a window and not merged yet: their node's flush will
 * merge them, or, if that node died, any node's sweep.
 */
export function waitingTallies(database: StoredDatabase, gameId: number): Promise<number> {
  return waitingOf(database, gameId, "tally");
}

/**
 * Announcements of the game's channel of any conflated event (tallies, the activity signal) still
 * waiting in bus_conflated: until none waits, a flush or a restarted node's sweep may yet store one.
 */
export function waitingAnnouncements(database: StoredDatabase, gameId: number): Promise<number> {
  return waitingOf(database, gameId);
}
