// Handling of `subscribe` and `unsubscribe` on one socket: parse, authorize each channel, join,
// then replay inside the ack (charged to the socket's replay budget), without a synchronous store.
import { log } from "@/lib/log";
import { databaseUnavailable, isDatabaseUnavailable } from "@/lib/runtime/database-outage";
import { authorizeChannel, hasPresence, personalChannel } from "./channel-kinds";
import type { BusErrorCode, ErrorAck, SubscribeAck } from "./events";
import type { BusSocket } from "./io";
import { leaveUnwatched, startWatch, stopWatch, watchLeaves, type JoinWatch } from "./join-watch";
import { schedulePresence } from "./presence";
import { MAX_CHANNELS, parseSubscribe, parseUnsubscribe } from "./protocol";
import { cachedReplay } from "./replay-cache";
import { afterJoin } from "./replay-page";
import type { PageLimits } from "./replay-read";
import { latestNotificationId, PAGE_BYTES, PAGE_ROWS } from "./store";
import { guardOf, refuse, screen } from "./subscribe-screen";
import { metrics } from "./metrics";

/** Channels the socket is in, minus its private socket-id room. */
function subscribedChannels(socket: BusSocket): Set<string> {
  const channels = new Set(socket.rooms);
  channels.delete(socket.id);
  return channels;
}

/** Takes the socket out of `name` (a revocation: a subscribe in flight sees it), and updates presence. */
export function leaveChannel(socket: BusSocket, name: string): void {
  // Synchronous on the adapters in use (in-memory, Redis): nothing to wait for.
  void socket.leave(name);
  forgetChannel(socket, name);
}

function forgetChannel(socket: BusSocket, name: string): void {
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
 * Whether joining `channels` keeps the socket within MAX_CHANNELS. Channels it holds count once;
 * its own user channel, joined on connect and never left, does not count.
 */
function withinCap(socket: BusSocket, channels: string[]): boolean {
  const own = personalChannel(socket.data.user.id);
  const current = subscribedChannels(socket);
  current.delete(own);
  return current.size + channels.filter((name) => name !== own && !current.has(name)).length <= MAX_CHANNELS;
}

type SubscribeRequest = { channels: string[]; last?: number; presence?: boolean };
/** `null`: the socket went away meanwhile, nobody to answer. */
type Outcome = { ack: SubscribeAck } | { refused: BusErrorCode } | null;
/**
 * One subscribe in flight: the revocations it watches, the replay rows it set aside (so
 * concurrent subscribes of one socket share the budget), and what it joined and replayed.
 */
type Pending = { watch: JoinWatch; limits: PageLimits; joined: string[]; replayed: number };

function onSubscribe(this: BusSocket, payload: unknown, ack: (answer: SubscribeAck | ErrorAck) => void): void {
  const parsed = parseSubscribe(payload);
  if (!parsed.ok) return refuse(this, parsed.error, ack);
  // Checked before anything is joined (and again at the join), so a refused call changes nothing.
  if (!withinCap(this, parsed.value.channels)) return refuse(this, "too_many_channels", ack);
  const guard = guardOf(this);
  const limits: PageLimits = { rows: Math.min(PAGE_ROWS, guard.replayAllowance()), bytes: PAGE_BYTES };
  guard.reserveReplay(limits.rows);
  // From before the first await: a revocation of these channels from now on must not be undone.
  const pending: Pending = { watch: startWatch(this, parsed.value.channels), limits, joined: [], replayed: 0 };
  answerSubscribe(this, parsed.value, pending)
    .then(
      (outcome) => {
        if (outcome && "refused" in outcome) refuse(this, outcome.refused, ack);
        else if (outcome) {
          ack(outcome.ack);
          for (const name of outcome.ack.granted) if (hasPresence(name)) schedulePresence(name, this.id);
        }
      },
      (error: unknown) => {
        // The database is away (or failed): the client asks again later; nothing stays joined.
        // An outage is logged once for the whole node, not once per subscribe.
        if (isDatabaseUnavailable(error)) databaseUnavailable(error);
        else log.error({ err: error }, "a subscribe failed; answered `unavailable`");
        for (const name of pending.joined) leaveUnwatched(this, name);
        ack({ error: "unavailable" });
      },
    )
    .finally(() => {
      stopWatch(this, pending.watch);
      guard.settleReplay(limits.rows, pending.replayed);
    });
}

/**
 * docs/postgres.md, "Subscribe without a synchronous store": authorize; read the latest id L1
 * and the replay page (last, L1]; join; read (L1, L2]. Anything emitted before the join was
 * committed before it, so it is at most L2 (ids commit in id order) and in a page; anything
 * emitted after reaches the socket live. The client drops the ids it gets both ways.
 */
async function answerSubscribe(socket: BusSocket, request: SubscribeRequest, pending: Pending): Promise<Outcome> {
  const { channels, last, presence } = request;
  const { watch, limits } = pending;
  const latest = await latestNotificationId();
  if (last !== undefined && limits.rows < 1 && last < latest) return { refused: "rate_limited" };
  const verdicts = await Promise.all(channels.map((name) => authorizeChannel(socket.data.user, name)));
  const granted = channels.filter((_, index) => verdicts[index]);
  const first = last === undefined ? undefined : await cachedReplay(granted, last, limits, latest);
  if (!socket.connected) return null;
  if (!withinCap(socket, channels)) return { refused: "too_many_channels" };

  const joinable = granted.filter((name) => !watch.revoked.has(name));
  const held = subscribedChannels(socket);
  pending.joined.push(...joinable.filter((name) => !held.has(name)));
  // Synchronous on the adapters in use (in-memory, Redis): the replay read below starts after it.
  void socket.join(joinable);
  setWatchOnly(socket, joinable, presence === false);
  const replay = await afterJoin(first, joinable, limits);
  // A revocation after the join has taken the socket out already: the channel is denied, and
  // none of its notifications goes in this ack.
  const kept = new Set(joinable.filter((name) => !watch.revoked.has(name)));
  // The page itself when nothing is dropped: a shared page is encoded once for every socket.
  const notifications = replay.notifications.every((notification) => kept.has(notification.channel))
    ? replay.notifications
    : replay.notifications.filter((notification) => kept.has(notification.channel));
  pending.replayed = notifications.length;
  metrics().replayed.inc(notifications.length);
  const denied = channels.filter((name) => !kept.has(name));
  metrics().denied.inc(denied.length);
  return {
    ack: {
      granted: channels.filter((name) => kept.has(name)),
      denied,
      last: replay.last,
      ...(last === undefined ? {} : { notifications }),
      ...(replay.more ? { more: true as const } : {}),
      ...(replay.reset ? { reset: true as const } : {}),
    },
  };
}

function onUnsubscribe(this: BusSocket, payload: unknown, ack: (answer: { ok: true } | ErrorAck) => void): void {
  const parsed = parseUnsubscribe(payload);
  if (!parsed.ok) return refuse(this, parsed.error, ack);
  const own = personalChannel(this.data.user.id);
  for (const name of parsed.value.channels) {
    if (name === own || !this.rooms.has(name)) continue;
    // The socket's own choice, no revocation: a subscribe of it still in flight may join again.
    leaveUnwatched(this, name);
    forgetChannel(this, name);
  }
  ack({ ok: true });
}

export function bindSubscriptions(socket: BusSocket): void {
  watchLeaves(socket);
  socket.use((packet, next) => screen(socket, packet, next));
  socket.on("subscribe", onSubscribe);
  socket.on("unsubscribe", onUnsubscribe);
}

/** Called as the socket disconnects, while it is still in its rooms: their presence changes. */
export function announceDeparture(socket: BusSocket): void {
  for (const name of socket.rooms) if (hasPresence(name)) schedulePresence(name);
}
