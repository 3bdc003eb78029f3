// What each kind of subscribe request does with its answer, one place per kind: a `join`
// answers for the whole subscription (every follower), a `replay` for the late followers it
// targets only, and a `presence` change for no one's notifications.
import type { WireNotification } from "../events";
import type { SubscribeKind, SubscribeRequest } from "./subscribe-batch";
import {
  deliver,
  deliverTo,
  releaseFollower,
  releaseHeld,
  setState,
  type Follower,
  type Subscription,
} from "./subscription";
import type { ParsedSubscribeAck } from "./wire-schemas";

/** A kind's part in a request's life. `subscription` is the channel's current one (the request's own). */
export type RequestKind = {
  /** The request is sent: live notifications of the channel wait for its ack. */
  hold(next: SubscribeRequest, subscription: Subscription): void;
  /** The ack came (or never will): what was held goes out. Also for a subscription since replaced. */
  release(next: SubscribeRequest, channel: string, subscription: Subscription | undefined): void;
  grant(next: SubscribeRequest, subscription: Subscription, answer: ParsedSubscribeAck): void;
  /** A notification inside the ack. */
  deliver(next: SubscribeRequest, subscription: Subscription, notification: WireNotification): void;
  /** The ack denied the channel. */
  deny(next: SubscribeRequest, subscription: Subscription): void;
  /** The server refused the whole request for good (not a "try again later"). */
  refuse(next: SubscribeRequest, subscription: Subscription): void;
  /** Whether channels granted after their last follower left must be left again. */
  leavesAbandoned: boolean;
};

const targetsOf = (next: SubscribeRequest, channel: string): ReadonlySet<Follower> =>
  next.targets.get(channel) ?? new Set();

const join: RequestKind = {
  hold: (_next, subscription) => {
    subscription.held ??= [];
  },
  release: (_next, _channel, subscription) => subscription && releaseHeld(subscription),
  grant: (_next, subscription, answer) => {
    subscription.cursor.advanceTo(answer.last);
    subscription.coveredFrom ??= answer.last;
    subscription.paging = answer.more ? answer.last : undefined;
    setState(subscription, "granted");
    if (answer.reset) subscription.followers.forEach((follower) => !follower.ended && follower.listener.onReset?.());
  },
  deliver: (_next, subscription, notification) => deliver(subscription, notification),
  deny: (_next, subscription) => setState(subscription, "denied"),
  refuse: (_next, subscription) => setState(subscription, "denied"),
  leavesAbandoned: true,
};

/** A replay for late followers; with no targets (a presence change) it touches no one. */
const replay: RequestKind = {
  hold: (next, subscription) => targetsOf(next, subscription.channel).forEach((follower) => (follower.held ??= [])),
  release: (next, channel) => targetsOf(next, channel).forEach(releaseFollower),
  grant: (next, subscription, answer) => {
    for (const follower of targetsOf(next, subscription.channel)) {
      follower.replayFrom = answer.more ? answer.last : undefined;
      if (answer.reset) follower.listener.onReset?.();
    }
  },
  deliver: (next, subscription, notification) =>
    targetsOf(next, subscription.channel).forEach((follower) => deliverTo(follower, notification)),
  deny: (next, subscription) =>
    targetsOf(next, subscription.channel).forEach((follower) => follower.listener.onState?.("denied")),
  // A late follower whose replay was refused cannot trust its render any more.
  refuse: (next, subscription) =>
    targetsOf(next, subscription.channel).forEach((follower) => follower.listener.onReset?.()),
  leavesAbandoned: true,
};

export const requestKinds: Record<SubscribeKind, RequestKind> = {
  join,
  replay,
  presence: { ...replay, leavesAbandoned: false },
};
