// What one presence flush sends and to whom, decided from the room's players now and what the
// room was last told (pure; lib/bus/presence.ts carries it out). Small rooms get whole lists,
// big rooms the count and the changes, newcomers a snapshot of their own.
import type { BusUserId } from "./bus-user";
import type { PresencePayload, PresentUser } from "./events";

/** Rooms up to this many players get the whole list in every message: cheap, and exact. */
export const FULL_LIST_MAX = 50;
/**
 * A snapshot names at most this many players (the first by username; the count is always whole).
 * Pages show about fifty names and "and N more", so a newcomer to a room of 2,000 gets 200 names
 * (a few KiB), not the room: whole lists to every joiner of a join storm cost players² bytes.
 */
export const SNAPSHOT_NAMES_MAX = 200;

/** Who was told which players, by id: the base the next message's changes are relative to. */
export type Told = ReadonlyMap<BusUserId, PresentUser>;

export type PresenceSend =
  /** `exceptNewcomers`: the newcomers get their own snapshot, and no changes to a base they lack. */
  { to: "room"; payload: PresencePayload; exceptNewcomers: boolean } | { to: "newcomers"; payload: PresencePayload };

export type PresencePlan = { sends: PresenceSend[]; told: Told | undefined };

/**
 * `players`: the room now, sorted by username. `told`: what this node last sent the whole room
 * (undefined: nothing, or not trusted). `clustered`: other nodes also send to this room, so this
 * node cannot know what the room was last told, and only self-contained snapshots are safe (see
 * presence.ts). `newcomers`: some sockets joined since the last flush and know nothing yet.
 */
export function planPresence(
  players: readonly PresentUser[],
  told: Told | undefined,
  options: { clustered: boolean; newcomers: boolean },
): PresencePlan {
  const count = players.length;
  const snapshot: PresencePayload = { count, players: players.slice(0, SNAPSHOT_NAMES_MAX) };
  if (options.clustered) return { sends: [{ to: "room", payload: snapshot, exceptNewcomers: false }], told: undefined };
  const now: Told = new Map(players.map((player) => [player.id, player]));
  if (!told) return { sends: [{ to: "room", payload: snapshot, exceptNewcomers: false }], told: now };

  // Capped like a snapshot: a flush in a join storm may hold hundreds of newcomers; the count
  // stays exact, and a name left out is one a page would hide behind "and N more" anyway.
  const joined = players.filter((player) => !told.has(player.id)).slice(0, SNAPSHOT_NAMES_MAX);
  const left = [...told.keys()].filter((id) => !now.has(id));
  if (joined.length === 0 && left.length === 0) {
    return { sends: options.newcomers ? [{ to: "newcomers", payload: snapshot }] : [], told };
  }
  if (count <= FULL_LIST_MAX) return { sends: [{ to: "room", payload: snapshot, exceptNewcomers: false }], told: now };
  const changes: PresencePayload = {
    count,
    ...(joined.length > 0 ? { joined } : {}),
    ...(left.length > 0 ? { left } : {}),
  };
  const sends: PresenceSend[] = [{ to: "room", payload: changes, exceptNewcomers: options.newcomers }];
  if (options.newcomers) sends.push({ to: "newcomers", payload: snapshot });
  return { sends, told: now };
}
