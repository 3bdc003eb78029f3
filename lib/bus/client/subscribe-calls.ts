// Subscribe calls on the wire: sending a batched request once the socket is ready, holding live
// notifications until its ack, applying the ack through its kind (request-kinds.ts), paging a
// replay with `more`, and asking again later when the server says `rate_limited` or `unavailable`.
import { requestKinds } from "./request-kinds";
import type { BusSocket } from "./bus-socket";
import { SubscribeBatch, type SubscribeRequest } from "./subscribe-batch";
import type { Subscription } from "./subscription";
import { subscribeAnswerSchema, type ParsedSubscribeAck } from "./wire-schemas";

const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 8000;

export class SubscribeCalls {
  private readonly batch = new SubscribeBatch((requests) => requests.forEach((next) => this.send(next)));

  /** `subscriptions`: the client's own map (read, never changed here); `ready`: subscribes may go out. */
  constructor(
    private readonly socket: BusSocket,
    private readonly subscriptions: ReadonlyMap<string, Subscription>,
    private readonly ready: () => boolean,
  ) {}

  queue(next: SubscribeRequest): void {
    this.batch.add(next);
  }

  /** Forgets what was not sent yet (the socket went away; the reconnect re-subscribes all). */
  clear(): void {
    this.batch.clear();
  }

  send(next: SubscribeRequest): void {
    // Not ready: the (re)connect re-subscribes every channel from a cursor low enough for all.
    if (!this.ready()) return;
    // Followers that left in the same turn need no subscribe (and no unsubscribe after it).
    const channels = [...next.subscriptions.keys()].filter((channel) => this.current(next, channel));
    if (channels.length === 0) return;
    const payload = {
      channels,
      ...(next.last === undefined ? {} : { last: next.last }),
      ...(next.presence ? {} : { presence: false }),
    };
    this.hold(next, channels);
    this.socket.emit("subscribe", payload, (answer) => this.onAck(next, answer));
  }

  /** Live notifications of a join or a replay in flight wait for its ack (see Subscription.held). */
  private hold(next: SubscribeRequest, channels: string[]): void {
    for (const channel of channels) {
      const subscription = next.subscriptions.get(channel);
      if (subscription) requestKinds[next.kind].hold(next, subscription);
    }
  }

  /** The request was answered for `channels` (or never will be): what they held goes out. */
  private release(next: SubscribeRequest, channels: Iterable<string>): void {
    for (const channel of channels) requestKinds[next.kind].release(next, channel, this.current(next, channel));
  }

  /** The subscription a request was for, if it is still the current one for that channel. */
  private current(next: SubscribeRequest, channel: string): Subscription | undefined {
    const subscription = this.subscriptions.get(channel);
    return subscription && subscription === next.subscriptions.get(channel) ? subscription : undefined;
  }

  private onAck(next: SubscribeRequest, raw: unknown): void {
    const parsed = subscribeAnswerSchema.safeParse(raw);
    const answer = parsed.success ? parsed.data : { error: "invalid_answer" };
    if ("error" in answer) return this.onRefused(next, answer.error);
    const kind = requestKinds[next.kind];
    const left = answer.granted.filter((channel) => !this.subscriptions.has(channel));
    if (left.length > 0 && kind.leavesAbandoned) this.socket.emit("unsubscribe", { channels: left }, () => undefined);
    this.forCurrent(next, answer.granted, (subscription) => kind.grant(next, subscription, answer));
    for (const notification of answer.notifications ?? []) {
      const subscription = this.current(next, notification.channel);
      if (subscription) kind.deliver(next, subscription, notification);
    }
    this.forCurrent(next, answer.denied, (subscription) => kind.deny(next, subscription));
    // While `more` pages through, the next page's ack releases what is held.
    const paging = new Set(answer.more ? answer.granted : []);
    this.release(
      next,
      [...next.subscriptions.keys()].filter((channel) => !paging.has(channel)),
    );
    if (answer.more) this.followMore(next, answer);
  }

  /** Runs `step` for each of `channels` whose subscription is still the request's own. */
  private forCurrent(next: SubscribeRequest, channels: Iterable<string>, step: (subscription: Subscription) => void) {
    for (const channel of channels) {
      const subscription = this.current(next, channel);
      if (subscription) step(subscription);
    }
  }

  /** `more: true`: the rest of the replay, from the ack's `last`, for the same channels and targets. */
  private followMore(next: SubscribeRequest, answer: ParsedSubscribeAck): void {
    const subscriptions = new Map<string, Subscription>();
    for (const channel of answer.granted) {
      const subscription = this.current(next, channel);
      if (subscription) subscriptions.set(channel, subscription);
    }
    if (subscriptions.size > 0) this.queue({ ...next, last: answer.last, subscriptions, attempts: 0 });
  }

  private onRefused(next: SubscribeRequest, error: string): void {
    // A refused subscribe joined nothing, so nothing more of these channels is coming from it.
    this.release(next, next.subscriptions.keys());
    if (error === "rate_limited" || error === "unavailable") {
      // Over the socket's rate budget (replays are charged by their rows), or the server could
      // not read its store just now: ask again later, for the channels still followed.
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** next.attempts);
      setTimeout(() => {
        const subscriptions = new Map([...next.subscriptions].filter(([channel]) => this.current(next, channel)));
        if (subscriptions.size > 0) this.send({ ...next, subscriptions, attempts: next.attempts + 1 });
      }, delay);
      return;
    }
    this.forCurrent(next, next.subscriptions.keys(), (subscription) =>
      requestKinds[next.kind].refuse(next, subscription),
    );
  }
}
