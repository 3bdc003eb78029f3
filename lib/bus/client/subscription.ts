// One channel as a socket follows it for several followers (components of a tab, or tabs behind
// the SharedWorker): its state, its resume point, delivery to each follower, and the rules
// deciding when a newcomer needs a replay of its own and which presence flag the socket holds.
import type { RevokedMessage, WireNotification } from "../events";
import {
  applyPresence,
  EMPTY_PRESENCE,
  presencePayloadSchema,
  presenceSnapshot,
  type PresenceState,
} from "../presence-state";
import { ChannelCursor } from "./channel-cursor";
import type { ChannelListener, ChannelState } from "./types";

export type Follower = {
  listener: ChannelListener;
  /** Drops what this follower already has (its render, or an earlier delivery). */
  cursor: ChannelCursor;
  presence: boolean;
  /** Revoked: the follower's view has ended; a later grant (a re-invite) is for new followers. */
  ended: boolean;
  /** Set while this follower's own replay (from this id) has not been answered. */
  replayFrom: number | undefined;
  /** Live notifications that came while its own replay was being answered: delivered after it. */
  held: WireNotification[] | undefined;
};

export type Subscription = {
  channel: string;
  followers: Set<Follower>;
  /** The socket's own position in the channel: where a reconnect resumes. */
  cursor: ChannelCursor;
  state: ChannelState;
  reason?: RevokedMessage["reason"];
  /** The presence flag last sent to the server (its last subscribe of a channel decides). */
  presence: boolean;
  /** The lowest id the socket's stream of this channel starts after; undefined until known. */
  coveredFrom: number | undefined;
  /** The highest id received on the channel. */
  highest: number;
  /** While a replay pages through `more`, a reconnect resumes from the end of the last page. */
  paging: number | undefined;
  /**
   * The latest volatile notification of each event (presence, stats): snapshots the server sends
   * when something changes, not when a tab joins a channel the socket already follows, so a
   * newcomer starts from the last one (presence: the changes folded into one whole state, see
   * snapshotAfter). Forgotten on disconnect (the reconnect brings fresh ones).
   */
  snapshots: Map<string, WireNotification>;
  /**
   * Live notifications that came while the socket's join was being answered: the server joins
   * before it reads the rest of the replay, so newer ids can overtake the ack; they are delivered
   * after the ack's replay (each follower then drops the ids it got twice), keeping id order.
   */
  held: WireNotification[] | undefined;
};

export function newFollower(
  listener: ChannelListener,
  since: number | undefined,
  presence: boolean,
  now: () => number,
): Follower {
  return {
    listener,
    cursor: new ChannelCursor(since, now),
    presence,
    ended: false,
    replayFrom: undefined,
    held: undefined,
  };
}

export function newSubscription(channel: string, since: number | undefined, now: () => number): Subscription {
  return {
    channel,
    followers: new Set(),
    cursor: new ChannelCursor(since, now),
    state: "subscribing",
    presence: true,
    coveredFrom: since,
    highest: 0,
    paging: undefined,
    snapshots: new Map(),
    held: undefined,
  };
}

/** Present while some live follower wants to be; true if the flag changed (a request must go out). */
export function updatePresence(subscription: Subscription): boolean {
  let wanted = false;
  for (const follower of subscription.followers) if (!follower.ended && follower.presence) wanted = true;
  if (wanted === subscription.presence) return false;
  subscription.presence = wanted;
  return true;
}

/**
 * A follower joining a channel the socket already follows needs its own replay unless the
 * socket's stream started at or before its cursor and nothing newer than its cursor has gone by.
 */
export function needsOwnReplay(subscription: Subscription, since: number | undefined): since is number {
  if (since === undefined) return false;
  return !(
    subscription.coveredFrom !== undefined &&
    subscription.coveredFrom <= since &&
    subscription.highest <= since
  );
}

/** Where a reconnect resumes: low enough for the socket and for every follower still owed a replay. */
export function resumeFrom(subscription: Subscription): number | undefined {
  const candidates: number[] = [];
  const own = subscription.paging ?? subscription.cursor.resume();
  if (own !== undefined) candidates.push(own);
  for (const follower of subscription.followers)
    if (follower.replayFrom !== undefined) candidates.push(follower.replayFrom);
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}

/** The new state to every live follower; a revocation ends the followers it reaches. */
export function setState(subscription: Subscription, state: ChannelState, reason?: Subscription["reason"]): void {
  subscription.state = state;
  subscription.reason = reason;
  for (const follower of subscription.followers) {
    if (follower.ended) continue;
    follower.listener.onState?.(state, reason);
    if (state === "revoked") follower.ended = true;
  }
}

/** To one follower, unless it already has it. */
export function deliverTo(follower: Follower, notification: WireNotification): void {
  if (!follower.ended && follower.cursor.accept(notification.id)) follower.listener.onNotification(notification);
}

/** The presence each stored snapshot stands for, so the next change folds without re-parsing it. */
const foldedPresence = new WeakMap<WireNotification, PresenceState>();

/**
 * The snapshot to keep after a volatile notification: the notification itself, except presence,
 * whose messages may be changes only (big rooms): those are folded into the previous snapshot,
 * so a newcomer gets the whole state and not the last change.
 */
function snapshotAfter(previous: WireNotification | undefined, notification: WireNotification): WireNotification {
  if (notification.event !== "presence") return notification;
  const parsed = presencePayloadSchema.safeParse(notification.payload);
  if (!parsed.success) return notification;
  const state = applyPresence((previous && foldedPresence.get(previous)) ?? EMPTY_PRESENCE, parsed.data);
  const snapshot = { ...notification, payload: presenceSnapshot(state) };
  foldedPresence.set(snapshot, state);
  return snapshot;
}

function noteForSocket(subscription: Subscription, notification: WireNotification): void {
  if (notification.id === null)
    subscription.snapshots.set(
      notification.event,
      snapshotAfter(subscription.snapshots.get(notification.event), notification),
    );
  else {
    subscription.cursor.accept(notification.id);
    subscription.highest = Math.max(subscription.highest, notification.id);
  }
}

/** A replayed notification (in a join's ack) to every follower; each drops what it already has. */
export function deliver(subscription: Subscription, notification: WireNotification): void {
  noteForSocket(subscription, notification);
  for (const follower of subscription.followers) deliverTo(follower, notification);
}

/** A live notification: held while the join or a follower's own replay is being answered. */
export function deliverLive(subscription: Subscription, notification: WireNotification): void {
  if (subscription.held) {
    subscription.held.push(notification);
    return;
  }
  noteForSocket(subscription, notification);
  for (const follower of subscription.followers) {
    if (follower.held) follower.held.push(notification);
    else deliverTo(follower, notification);
  }
}

/** The join was answered (or will not be): what was held goes out, in arrival order. */
export function releaseHeld(subscription: Subscription): void {
  const held = subscription.held ?? [];
  subscription.held = undefined;
  held.forEach((notification) => deliverLive(subscription, notification));
}

/** The follower's own replay was answered (or will not be): what was held goes to it. */
export function releaseFollower(follower: Follower): void {
  const held = follower.held ?? [];
  follower.held = undefined;
  held.forEach((notification) => deliverTo(follower, notification));
}
