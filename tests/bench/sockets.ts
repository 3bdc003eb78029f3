// Watcher sockets: real socket.io-client connections (WebSocket only, no reconnection) that sign
// in as a player, subscribe to the target's channel, count the bytes they receive and hand every
// `notification` to the group's current handler.
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import type { Receiver } from "./delivery";
import type { Player, Target } from "./target";

/** What watchers need of a server: where to connect, the channel, and who may watch it. */
export type Watched = Pick<Target, "url" | "channel" | "players" | "socketOptions">;
import { now, sleep } from "./clock";
import { mapLimit } from "./map-limit";

export type Watcher = Receiver & { socket: Socket; bytes: number; cursor: number };
export type NotificationHandler = (watcher: Watcher, notification: unknown) => void;

const subscribeAck = z.object({
  granted: z.array(z.string()),
  denied: z.array(z.string()),
  last: z.number().int(),
  notifications: z.array(z.unknown()).optional(),
  more: z.literal(true).optional(),
  reset: z.literal(true).optional(),
});
const ACK_TIMEOUT_MS = 60_000;

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error: Error) => reject(new Error(`connect_error: ${error.message}`)));
  });
}

/**
 * Opens one socket as `player`, subscribes (with `last` when given), hands the replay inside the
 * ack to the handler (following `more`), and resolves after the last ack. `inAck` asks the
 * baseline for its one-array replay.
 */
export async function openWatcher(
  target: Watched,
  player: Player,
  handler: () => NotificationHandler,
  last?: number,
  inAck = false,
): Promise<Watcher> {
  const socket = io(target.url, {
    path: "/socket.io",
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    ...target.socketOptions(player),
  });
  const watcher: Watcher = { socket, bytes: 0, lastId: last ?? 0, cursor: 0 };
  socket.io.on("open", () => {
    socket.io.engine.on("data", (data: unknown) => {
      watcher.bytes +=
        typeof data === "string" ? Buffer.byteLength(data) : data instanceof ArrayBuffer ? data.byteLength : 0;
    });
  });
  socket.on("notification", (notification: unknown) => handler()(watcher, notification));
  await connected(socket);
  let ack = await subscribeOnce(watcher, target, last, inAck, handler);
  while (ack.more) ack = await subscribeOnce(watcher, target, ack.last, inAck, handler);
  watcher.cursor = ack.last;
  if (last === undefined) watcher.lastId = ack.last;
  return watcher;
}

async function subscribeOnce(
  watcher: Watcher,
  target: Watched,
  last: number | undefined,
  inAck: boolean,
  handler: () => NotificationHandler,
): Promise<z.infer<typeof subscribeAck>> {
  const payload = { channels: [target.channel], ...(last === undefined ? {} : { last }), ...(inAck ? { inAck } : {}) };
  const ack = subscribeAck.parse(await watcher.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("subscribe", payload));
  if (!ack.granted.includes(target.channel) || ack.reset)
    throw new Error(`subscribe to ${target.channel} answered ${JSON.stringify({ ...ack, notifications: undefined })}`);
  for (const notification of ack.notifications ?? []) handler()(watcher, notification);
  return ack;
}

/**
 * Waits until `watcher` has seen every notification committed so far on the target's channel:
 * re-subscribing (harmless, no replay without `last`) answers with the newest id in the store.
 */
export async function catchUpWith(target: Watched, watcher: Watcher, timeoutMs = 10_000): Promise<void> {
  const ack = subscribeAck.parse(
    await watcher.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("subscribe", { channels: [target.channel] }),
  );
  const deadline = now() + timeoutMs;
  while (watcher.lastId < ack.last && now() < deadline) await sleep(10);
}

/** A set of watchers sharing one replaceable notification handler. */
export class WatcherGroup {
  readonly watchers: Watcher[] = [];
  handler: NotificationHandler = () => {};
  /** Ask the baseline for its replay as one array inside the ack. */
  replayInAck = false;

  constructor(
    private readonly target: Watched,
    private readonly concurrency: number,
  ) {}

  get size(): number {
    return this.watchers.length;
  }

  /** Connects and subscribes more watchers until there are `size`; returns the seconds it took. */
  async grow(size: number, last?: number): Promise<number> {
    const started = now();
    const players = this.target.players;
    const fresh = Array.from(
      { length: Math.max(0, size - this.watchers.length) },
      (_, index) => players[(this.watchers.length + index) % players.length] as Player,
    );
    const opened = await mapLimit(fresh, this.concurrency, (player) =>
      openWatcher(this.target, player, () => this.handler, last, this.replayInAck),
    );
    this.watchers.push(...opened);
    return (now() - started) / 1000;
  }

  close(): void {
    for (const watcher of this.watchers) watcher.socket.disconnect();
    this.watchers.length = 0;
  }
}
