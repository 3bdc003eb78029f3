// `subscribe` calls waiting to be sent: whatever is asked in one turn of the event loop (a lobby
// mounting thirty game cards, five tabs re-listening) goes out as few calls as possible, one per
// kind, cursor and presence flag, so a page does not spend the socket's rate budget.
import type { Follower, Subscription } from "./subscription";

/**
 * `join`: the socket (re)enters channels, the replay goes to every follower. `replay`: the
 * socket is already in, only `targets` get the replay (a late follower). `presence`: only the
 * presence flag changes; nothing is replayed.
 */
export type SubscribeKind = "join" | "replay" | "presence";

export type SubscribeRequest = {
  kind: SubscribeKind;
  last: number | undefined;
  presence: boolean;
  /** The subscription each channel had when asked: an answer for a replaced one is stale. */
  subscriptions: Map<string, Subscription>;
  /** `replay` only: who gets the replay of each channel. */
  targets: Map<string, Set<Follower>>;
  /** Times this request was refused as `rate_limited` (for the back-off). */
  attempts: number;
};

const MAX_CHANNELS_PER_CALL = 100;

export function request(
  kind: SubscribeKind,
  subscription: Subscription,
  last: number | undefined,
  target?: Follower,
): SubscribeRequest {
  return {
    kind,
    last,
    presence: subscription.presence,
    subscriptions: new Map([[subscription.channel, subscription]]),
    targets: target ? new Map([[subscription.channel, new Set([target])]]) : new Map(),
    attempts: 0,
  };
}

export class SubscribeBatch {
  private waiting: SubscribeRequest[] = [];
  private scheduled = false;

  constructor(private readonly send: (requests: SubscribeRequest[]) => void) {}

  add(next: SubscribeRequest): void {
    this.waiting.push(next);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      const waiting = this.waiting;
      this.waiting = [];
      this.send(merge(waiting));
    });
  }

  /** Forgets what was not sent yet (the socket went away; the reconnect re-subscribes all). */
  clear(): void {
    this.waiting = [];
  }
}

/**
 * Requests of the same kind, cursor and presence become one call (at most 100 channels). Calls
 * keep the order of their first request, so a presence change asked after a join is sent after
 * it (the server keeps the flag of the last subscribe).
 */
export function merge(requests: SubscribeRequest[]): SubscribeRequest[] {
  const merged: SubscribeRequest[] = [];
  for (const next of requests) {
    const into = merged.find(
      (candidate) =>
        candidate.kind === next.kind &&
        candidate.last === next.last &&
        candidate.presence === next.presence &&
        candidate.attempts === next.attempts &&
        candidate.subscriptions.size + next.subscriptions.size <= MAX_CHANNELS_PER_CALL,
    );
    if (!into) {
      merged.push(next);
      continue;
    }
    for (const [channel, subscription] of next.subscriptions) into.subscriptions.set(channel, subscription);
    for (const [channel, followers] of next.targets) {
      const existing = into.targets.get(channel) ?? new Set<Follower>();
      followers.forEach((follower) => existing.add(follower));
      into.targets.set(channel, existing);
    }
  }
  return merged;
}
