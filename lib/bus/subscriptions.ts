// Handling of `subscribe` and `unsubscribe` on one socket: parse, authorize each channel, join,
// then replay inside the ack (one page, charged to the socket's replay budget).
import { db } from "@/db/client";
import { authorizeChannel, hasPresence, personalChannel } from "./channel-kinds";
import type { BusErrorCode, ErrorAck } from "./events";
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

export function bindSubscriptions(socket: BusSocket): void {
  const guard = new FloodGuard();
  const refuse = (error: BusErrorCode, ack: unknown): void => {
    if (typeof ack === "function") (ack as (answer: ErrorAck) => void)({ error });
    if (guard.strike()) socket.disconnect(true);
  };

  // Every incoming packet, known event or not, spends from the rate bucket.
  socket.use(([event, ...args], next) => {
    const ack = args.at(-1);
    if (!guard.take()) return refuse("rate_limited", ack);
    if (event !== "subscribe" && event !== "unsubscribe") return refuse("invalid_payload", ack);
    if (typeof ack !== "function") return refuse("invalid_payload", undefined);
    // Exactly (payload, ack): otherwise the handlers would see the ack as the payload (no answer)
    // or a non-function as the ack (a TypeError thrown outside any try, crashing the process).
    if (args.length !== 2) return refuse("invalid_payload", ack);
    next();
  });

  socket.on("subscribe", (payload, ack) => {
    const parsed = parseSubscribe(payload);
    if (!parsed.ok) return refuse(parsed.error, ack);
    const { channels, last, presence } = parsed.value;
    const current = subscribedChannels(socket);
    const fresh = channels.filter((name) => !current.has(name));
    if (current.size + fresh.length > MAX_CHANNELS) return refuse("too_many_channels", ack);
    // Checked before anything is joined, so a refused call changes nothing.
    const allowance = guard.replayAllowance();
    if (last !== undefined && allowance < 1 && last < latestNotificationId(db())) return refuse("rate_limited", ack);

    const granted: string[] = [];
    const denied: string[] = [];
    for (const name of channels) (authorizeChannel(socket.data.user, name) ? granted : denied).push(name);
    socket.join(granted);
    setWatchOnly(socket, granted, presence === false);
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
    for (const name of granted) if (hasPresence(name)) schedulePresence(name);
  });

  socket.on("unsubscribe", (payload, ack) => {
    const parsed = parseUnsubscribe(payload);
    if (!parsed.ok) return refuse(parsed.error, ack);
    const own = personalChannel(socket.data.user.id);
    for (const name of parsed.value.channels) {
      if (name === own || !socket.rooms.has(name)) continue;
      leaveChannel(socket, name);
    }
    ack({ ok: true });
  });

  socket.on("disconnecting", () => {
    for (const name of socket.rooms) if (hasPresence(name)) schedulePresence(name);
  });
}
