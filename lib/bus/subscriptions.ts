// Handling of `subscribe` and `unsubscribe` on one socket: parse, authorize each channel, join,
// then replay. Join, replay read and ack happen in one synchronous step, and every commit emits
// synchronously after it, so no notification falls between replay and live or arrives twice.
import type { Socket } from "socket.io";
import { db } from "@/db/client";
import { authorizeChannel, hasPresence } from "./channel-kinds";
import type { BusErrorCode, ClientToServerEvents, ErrorAck, ServerToClientEvents } from "./events";
import type { ClusterEvents, SocketData } from "./io";
import { schedulePresence } from "./presence";
import { MAX_CHANNELS, parseSubscribe, parseUnsubscribe } from "./protocol";
import { readReplay } from "./store";
import { FloodGuard } from "./flood-guard";

type BusSocket = Socket<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;

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
    const current = subscribedChannels(socket);
    const fresh = parsed.value.channels.filter((name) => !current.has(name));
    if (current.size + fresh.length > MAX_CHANNELS) return refuse("too_many_channels", ack);

    const granted: string[] = [];
    const denied: string[] = [];
    for (const name of parsed.value.channels) (authorizeChannel(socket.data.user, name) ? granted : denied).push(name);
    socket.join(granted);
    const watchOnly = new Set(socket.data.watchOnly);
    for (const name of granted) {
      if (parsed.value.presence === false) watchOnly.add(name);
      else watchOnly.delete(name);
    }
    socket.data.watchOnly = [...watchOnly];
    const replay = readReplay(db(), granted, parsed.value.last);
    ack({ granted, denied, last: replay.last, ...(replay.reset ? { reset: true as const } : {}) });
    for (const notification of replay.notifications) socket.emit("notification", notification);
    for (const name of granted) if (hasPresence(name)) schedulePresence(name);
  });

  socket.on("unsubscribe", (payload, ack) => {
    const parsed = parseUnsubscribe(payload);
    if (!parsed.ok) return refuse(parsed.error, ack);
    const own = `user:${socket.data.user.id}`;
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
