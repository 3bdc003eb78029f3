// The server's answers the crowd reads, parsed with zod (they come from outside the process).
import { z } from "zod";

export const guestJoined = z.object({
  gameId: z.number().int().positive(),
  user: z.object({ id: z.number().int().positive(), username: z.string() }),
});
export const subscribeAck = z.object({ granted: z.array(z.string()) });
/**
 * `POST /api/games/:id/clicks`: `total` after the commit and `paceMs`, how long to wait before
 * the next batch (docs/api.md#clicks). A server from before `paceMs` existed answers without it:
 * the game page's own 150 ms then.
 */
export const clicksAnswer = z.object({ total: z.number().int(), paceMs: z.number().nonnegative().optional() });
export const gameTotal = z.object({ total: z.number().int() });

/** The game page's batch interval (lib/games/client/click-queue.ts): never sooner than this. */
export const MIN_PACE_MS = 150;

/** How long to wait before the next batch: max(150 ms, paceMs). */
export function paceOf(answer: z.infer<typeof clicksAnswer>): number {
  return Math.max(MIN_PACE_MS, answer.paceMs ?? MIN_PACE_MS);
}
