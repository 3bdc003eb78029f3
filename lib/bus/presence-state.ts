// Presence as a receiver folds it: a room's count and the names it knows, from the bus's
// `presence` messages (snapshots and changes). Pure, so the server's tests, the browser bus (a tab
// that joins late starts from the folded state) and the pages all agree on what a message means.
import { z } from "zod";
import type { BusUserId } from "./bus-user";
import type { PresencePayload, PresentUser } from "./events";

/** `players`: sorted by username, as the server sorts them; may be fewer than `count` in a big room. */
export type PresenceState = { count: number; players: PresentUser[] };

export const EMPTY_PRESENCE: PresenceState = { count: 0, players: [] };

const busUserIdSchema = z.union([z.number().int(), z.string()]);
const presentUserSchema = z.object({ id: busUserIdSchema, username: z.string() });

/** A presence payload from the network (outside data): parsed before it is folded. */
export const presencePayloadSchema = z.object({
  count: z.number().int().nonnegative(),
  players: z.array(presentUserSchema).optional(),
  joined: z.array(presentUserSchema).optional(),
  left: z.array(busUserIdSchema).optional(),
}) satisfies z.ZodType<PresencePayload>;

/** The server's order (lib/bus/presence.ts sorts the same way), so snapshots and folds agree. */
export function byUsername(a: PresentUser, b: PresentUser): number {
  return a.username.localeCompare(b.username) || compareIds(a.id, b.id);
}

function compareIds(a: BusUserId, b: BusUserId): number {
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}

/**
 * `state` after one message: a snapshot replaces the names, then `left` and `joined` apply (a
 * message may carry both kinds, a newcomer's snapshot never carries changes). Applying a change
 * twice changes nothing (joins are by id), so a tab fed twice by a replay stays right.
 */
export function applyPresence(state: PresenceState, payload: PresencePayload): PresenceState {
  const known = new Map((payload.players ?? state.players).map((player) => [player.id, player]));
  for (const id of payload.left ?? []) known.delete(id);
  for (const player of payload.joined ?? []) known.set(player.id, player);
  return { count: payload.count, players: [...known.values()].sort(byUsername) };
}

/** The folded state as one snapshot message, for a follower that arrives after the messages. */
export function presenceSnapshot(state: PresenceState): PresencePayload {
  return { count: state.count, players: state.players };
}
