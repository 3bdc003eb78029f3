// Re-checks on this node that every socket may still be in each channel it is in. Revocations
// normally reach every node at once through the adapter; this catches one that a Redis outage
// (this node's or another's) kept from arriving. One check per (user, channel) pair however many
// tabs the user has open: 10 000 sockets of 64 players in one game cost 64 checks, not 10 000.
import { TimeSlices } from "@/lib/runtime/time-slices";
import type { BusUser } from "./bus-user";
import { authorizeChannel } from "./channel-kinds";
import type { BusServer, BusSocket } from "./io";
import { metrics } from "./metrics";
import { leaveChannel } from "./subscriptions";

type Check = { room: string; user: BusUser; sockets: Set<BusSocket> };

/**
 * The most the sweep may hold the event loop at once (issue #22 §5): between slices every socket,
 * request and timer of the node is served.
 */
export const SWEEP_BOUND_MS = 20;
/**
 * What a slice aims at: half the bound, as a slice ends only after the listing step or the batch
 * of checks that crosses it (a batch is sized to take about a quarter of a slice).
 */
export const SWEEP_SLICE_MS = SWEEP_BOUND_MS / 2;
/** Checks started together at most: each is a query, so the database sees a bounded burst. */
export const SWEEP_CHUNK = 200;
/** Rooms' memberships listed between two looks at the clock. */
const LISTED_PER_LOOK = 32;

export type SweepReport = {
  /** (user, channel) pairs checked. */
  pairs: number;
  /** Sockets taken out of a channel. */
  removed: number;
  /** Milliseconds the sweep held the event loop, in all (its CPU on the loop), and at most at once. */
  busyMs: number;
  longestSliceMs: number;
};

/** The kind part of a room's name: checks of one kind cost about the same. */
function kindOfRoom(room: string): string {
  const at = room.indexOf(":");
  return at === -1 ? room : room.slice(0, at);
}

/**
 * Every (channel, user) pair of this node's rooms, with the user's sockets in the room, grouped by
 * channel kind. Listed in slices: the adapter's maps may change in between, which iterating a live
 * Map or Set allows (a socket that left meanwhile is skipped when acted on, one that joined is
 * checked at its subscribe).
 */
async function pairsToCheck(io: BusServer, slices: TimeSlices): Promise<Check[][]> {
  const checks = new Map<string, Check>();
  const sockets = io.sockets.sockets;
  let listed = 0;
  for (const [room, members] of io.sockets.adapter.rooms) {
    // A socket's own room (named after its id) is no channel.
    if (sockets.has(room)) continue;
    for (const socketId of members) {
      listed += 1;
      if (listed % LISTED_PER_LOOK === 0 && slices.wouldOverrun()) await slices.yieldTurn();
      const socket = sockets.get(socketId);
      if (!socket) continue;
      const { user } = socket.data;
      const key = `${user.id}|${room}`;
      const check = checks.get(key) ?? { room, user, sockets: new Set() };
      check.sockets.add(socket);
      checks.set(key, check);
    }
  }
  // Map.groupBy is Node 21's.
  const byKind = new Map<string, Check[]>();
  for (const check of checks.values()) {
    const kind = kindOfRoom(check.room);
    const group = byKind.get(kind);
    if (group) group.push(check);
    else byKind.set(kind, [check]);
  }
  return [...byKind.values()];
}

/**
 * Checks pairs of one kind in batches sized from the last one's time, so that a batch takes about
 * a quarter of a slice whatever a check of that kind costs (a synchronous SQLite query, a
 * comparison of ids, or a PostgreSQL round trip that lets the loop turn anyway), and yields before
 * a batch that would carry the slice past its time. Starts at one check and grows at most twofold
 * a batch, as one fast batch proves little.
 */
async function checkKind(checks: readonly Check[], slices: TimeSlices): Promise<number> {
  let removed = 0;
  let size = 1;
  let perCheckMs = 0;
  for (let at = 0; at < checks.length;) {
    if (slices.wouldOverrun(size * perCheckMs)) await slices.yieldTurn();
    const batch = checks.slice(at, at + size);
    at += batch.length;
    const started = performance.now();
    const verdicts = await Promise.all(batch.map((check) => authorizeChannel(check.user, check.room)));
    batch.forEach((check, index) => {
      if (!verdicts[index]) removed += removeFrom(check);
    });
    perCheckMs = Math.max(performance.now() - started, 0.001) / batch.length;
    size = Math.max(1, Math.min(SWEEP_CHUNK, 2 * batch.length, Math.floor(slices.sliceMs / 4 / perCheckMs)));
  }
  return removed;
}

/**
 * Takes every socket out of the channels it may no longer see. The pairs are listed, then checked
 * and acted on, in slices of at most `sliceMs` of the event loop; a socket that left or
 * disconnected meanwhile is skipped (a subscribe in flight sees the removal: subscriptions.ts).
 */
export async function sweepAccess(io: BusServer, sliceMs = SWEEP_SLICE_MS): Promise<SweepReport> {
  const slices = new TimeSlices(sliceMs);
  const kinds = await pairsToCheck(io, slices);
  let removed = 0;
  for (const checks of kinds) removed += await checkKind(checks, slices);
  slices.finish();
  const pairs = kinds.reduce((sum, checks) => sum + checks.length, 0);
  const report = { pairs, removed, busyMs: slices.busyMs, longestSliceMs: slices.longestMs };
  recordSweep(report);
  return report;
}

function recordSweep(report: SweepReport): void {
  const { accessSweep } = metrics();
  accessSweep.pairs.set(report.pairs);
  accessSweep.busy.observe(report.busyMs / 1000);
  accessSweep.longestSlice.observe(report.longestSliceMs / 1000);
}

function removeFrom(check: Check): number {
  let removed = 0;
  for (const socket of check.sockets) {
    if (!socket.connected || !socket.rooms.has(check.room)) continue;
    leaveChannel(socket, check.room);
    // "removed" also when the game was deleted: the replayed `game_removed` says which.
    socket.emit("revoked", { channel: check.room, reason: "removed" });
    removed += 1;
  }
  return removed;
}
