// Handling of `subscribe` and `unsubscribe` on one socket: parse, authorize each channel, join,
// then replay inside the ack (one page, charged to the socket's replay budget).
import { db } from "@/db/client";
import { authorizeChannel, hasPresence, personalChannel } from "./channel-kinds";
import type { BusErrorCode, ErrorAck, SubscribeAck } from "./events";
import type { BusSocket } from "./io";
import { schedulePresence } from "./presence";
import { MAX_CHANNELS, parseSubscribe, parseUnsubscribe } from "./protocol";
import { cachedReplay } from "./replay-cache";
import { latestNotificationId, PAGE_BYTES, PAGE_ROWS } from "./store";
import { FloodGuard } from "./flood-guard";
import { metrics } from "./metrics";

/** Channels the socket is in, minus its private socket-id room. */
function subscribedChannels(socket: BusSocket): Set<string> {
  const channels = new Set(socket.rooms);
  channels.delete(socket.id);
  return channels;
}

/** Takes the socket out of `name`, forgets its watch-only flag there, and updates presence. */
export function leaveChannel(socket: BusSocket, name: string): void {
  socket.leave(name);
  socket.data.watchOnly = socket.data.watchOnly.filter((watched) => watched !== name);
  if (hasPresence(name)) schedulePresence(name);
}

/** Records which granted channels the socket follows without appearing in their presence. */
function setWatchOnly(socket: BusSocket, granted: string[], watchOnly: boolean): void {
  const names = new Set(socket.data.watchOnly);
  for (const name of granted) {
    if (watchOnly) names.add(name);
    else names.delete(name);
  }
  socket.data.watchOnly = [...names];
}

/**
 * Each socket's flood guard. The handlers below are shared by every socket (Socket.IO calls them
 * with the socket as `this`) rather than closures made per socket: at 20 000 idle sockets the
 * closures, their contexts and property arrays were a tenth of the heap the bus added.
 */
const guards = new WeakMap<BusSocket, FloodGuard>();

function guardOf(socket: BusSocket): FloodGuard {
  let guard = guards.get(socket);
  if (!guard) {
    guard = new FloodGuard();
    guards.set(socket, guard);
  }
  return guard;
}

function refuse(socket: BusSocket, error: BusErrorCode, ack: unknown): void {
  if (typeof ack === "function") (ack as (answer: ErrorAck) => void)({ error });
  if (guardOf(socket).strike()) socket.disconnect(true);
}

/** Every incoming packet, known event or not, spends from the rate bucket. */
function screen(socket: BusSocket, [event, ...args]: unknown[], next: (error?: Error) => void): void {
  const ack = args.at(-1);
  if (!guardOf(socket).take()) return refuse(socket, "rate_limited", ack);
  if (event !== "subscribe" && event !== "unsubscribe") return refuse(socket, "invalid_payload", ack);
  if (typeof ack !== "function") return refuse(socket, "invalid_payload", undefined);
  // Exactly (payload, ack): otherwise the handlers would see the ack as the payload (no answer)
  // or a non-function as the ack (a TypeError thrown outside any try, crashing the process).
  if (args.length !== 2) return refuse(socket, "invalid_payload", ack);
  next();
}

function onSubscribe(this: BusSocket, payload: unknown, ack: (answer: SubscribeAck | ErrorAck) => void): void {
  const guard = guardOf(this);
  const parsed = parseSubscribe(payload);
  if (!parsed.ok) return refuse(this, parsed.error, ack);
  const { channels, last, presence } = parsed.value;
  const current = subscribedChannels(this);
  const fresh = channels.filter((name) => !current.has(name));
  if (current.size + fresh.length > MAX_CHANNELS) return refuse(this, "too_many_channels", ack);
  // Checked before anything is joined, so a refused call changes nothing.
  const allowance = guard.replayAllowance();
  if (last !== undefined && allowance < 1 && last < latestNotificationId(db())) return refuse(this, "rate_limited", ack);

  const granted: string[] = [];
  const denied: string[] = [];
  for (const name of channels) (authorizeChannel(this.data.user, name) ? granted : denied).push(name);
  this.join(granted);
  setWatchOnly(this, granted, presence === false);
  // Join, read and ack in one synchronous step: a commit emits synchronously after it, so every
  // notification is either in this page or emitted live after the ack, never lost in between.
  const replay = cachedReplay(db(), granted, last, { rows: Math.min(PAGE_ROWS, allowance), bytes: PAGE_BYTES });
  guard.chargeReplay(replay.notifications.length);
  metrics().replayed.inc(replay.notifications.length);
  metrics().denied.inc(denied.length);
  ack({
    granted,
    denied,
    last: replay.last,
    ...(last === undefined ? {} : { notifications: replay.notifications }),
    ...(replay.more ? { more: true as const } : {}),
    ...(replay.reset ? { reset: true as const } : {}),
  });
  for (const name of granted) if (hasPresence(name)) schedulePresence(name, this.id);
}

function onUnsubscribe(this: BusSocket, payload: unknown, ack: (answer: { ok: true } | ErrorAck) => void): void {
  const parsed = parseUnsubscribe(payload);
  if (!parsed.ok) return refuse(this, parsed.error, ack);
  const own = personalChannel(this.data.user.id);
  for (const name of parsed.value.channels) {
    if (name === own || !this.rooms.has(name)) continue;
    leaveChannel(this, name);
  }
  ack({ ok: true });
}

export function bindSubscriptions(socket: BusSocket): void {
  socket.use((packet, next) => screen(socket, packet, next));
  socket.on("subscribe", onSubscribe);
  socket.on("unsubscribe", onUnsubscribe);
}

/** Called as the socket disconnects, while it is still in its rooms: their presence changes. */
export function announceDeparture(socket: BusSocket): void {
  for (const name of socket.rooms) if (hasPresence(name)) schedulePresence(name);
}
