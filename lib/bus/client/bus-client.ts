// The bus over one Socket.IO socket, free of React: channels reference-counted across their
// followers, each follower's own replay from its own cursor, replay inside the subscribe ack
// (paged with `more`) or as frames after it, re-subscription after a reconnect, and a check that
// the socket still belongs to the page's user. A tab uses it on its own socket; the SharedWorker
// uses it for every tab behind it (each tab's listeners are followers).
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents, WireNotification } from "../events";
import { request, SubscribeBatch, type SubscribeRequest } from "./subscribe-batch";
import {
  deliver,
  deliverLive,
  deliverTo,
  needsOwnReplay,
  newFollower,
  newSubscription,
  releaseFollower,
  releaseHeld,
  resumeFrom,
  setState,
  wantsPresence,
  type Follower,
  type Subscription,
} from "./subscription";
import type { Bus, BusStatus, ChannelListener, ListenOptions, SessionEnd } from "./types";
import { revokedSchema, subscribeAnswerSchema, wireNotificationSchema, type ParsedSubscribeAck } from "./wire-schemas";

export type BusSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type BusClientOptions = {
  now?: () => number;
  /**
   * The page's user's personal channel (`user:<id>`): after each connect the socket must be
   * granted it before anything else is subscribed, and its `signed_out` revocation ends the session.
   */
  personalChannel?: string;
  /** The session is over (signed out, another user's cookie): the page must re-render. */
  onSessionEnded?: (reason: SessionEnd) => void;
};

const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 8000;

export class BusClient implements Bus {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly statusListeners = new Set<(status: BusStatus) => void>();
  private readonly batch = new SubscribeBatch((requests) => requests.forEach((next) => this.send(next)));
  private readonly now: () => number;
  private currentStatus: BusStatus = "reconnecting";
  /** Connected and, when a user is expected, proven to be theirs: subscribes may go out. */
  private ready = false;
  private ended = false;
  private browserOnline = typeof navigator === "undefined" || navigator.onLine;

  constructor(
    private readonly socket: BusSocket,
    private readonly options: BusClientOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    socket.on("connect", this.onConnect);
    socket.on("connect_error", this.onConnectError);
    socket.on("disconnect", this.onDisconnect);
    socket.on("notification", this.onNotification);
    socket.on("revoked", this.onRevoked);
  }

  get status(): BusStatus {
    return this.currentStatus;
  }

  /**
   * The browser went offline or came back. Offline, the socket is closed at once rather than
   * left to notice the dead network at its next ping (up to 45 s), and it reconnects (and
   * replays what was missed) as soon as the browser is back.
   */
  setBrowserOnline(online: boolean): void {
    if (online === this.browserOnline) return;
    this.browserOnline = online;
    if (!online) {
      this.socket.disconnect();
      return this.setStatus("offline");
    }
    if (!this.ended) this.socket.connect();
    this.setStatus(this.ready ? "connected" : "reconnecting");
  }

  onStatus(listener: (status: BusStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  listen(channel: string, listener: ChannelListener, options: ListenOptions = {}): () => void {
    const follower = newFollower(listener, options.since, options.presence ?? true, this.now);
    let subscription = this.subscriptions.get(channel);
    let join = false;
    if (!subscription || subscription.state === "revoked" || subscription.state === "denied") {
      // New, or access may be back (a re-invite): ask, from the newcomer's cursor. Earlier
      // followers of a revoked channel stay ended.
      const earlier = subscription ? [...subscription.followers] : [];
      subscription = newSubscription(channel, options.since, this.now);
      earlier.forEach((other) => subscription?.followers.add(other));
      this.subscriptions.set(channel, subscription);
      join = true;
    } else if (needsOwnReplay(subscription, options.since)) {
      follower.replayFrom = options.since;
    }
    subscription.followers.add(follower);
    // Every subscribe carries the presence flag (the server keeps the last one), so it is
    // settled before anything is queued.
    const presenceChanged = this.updatePresence(subscription);
    if (join) this.queue(request("join", subscription, options.since));
    else if (follower.replayFrom !== undefined) this.queue(request("replay", subscription, follower.replayFrom, follower));
    else if (presenceChanged) this.queue(request("presence", subscription, undefined));
    listener.onState?.(subscription.state, subscription.reason);
    if (!join) subscription.snapshots.forEach((snapshot) => deliverTo(follower, snapshot));
    return () => this.unlisten(channel, follower);
  }

  close(): void {
    this.socket.off("connect", this.onConnect);
    this.socket.off("connect_error", this.onConnectError);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("notification", this.onNotification);
    this.socket.off("revoked", this.onRevoked);
    this.batch.clear();
    this.socket.disconnect();
  }

  private unlisten(channel: string, follower: Follower): void {
    const subscription = this.subscriptions.get(channel);
    if (!subscription?.followers.delete(follower)) return;
    if (subscription.followers.size > 0) {
      if (this.updatePresence(subscription)) this.queue(request("presence", subscription, undefined));
      return;
    }
    this.subscriptions.delete(channel);
    // A join still on its way is left again when its ack arrives (see onAck).
    if (this.ready && subscription.state === "granted") this.socket.emit("unsubscribe", { channels: [channel] }, () => undefined);
  }

  /** Sets the flag the socket must hold: present while some live follower wants to be; true if it changed. */
  private updatePresence(subscription: Subscription): boolean {
    const wanted = wantsPresence(subscription);
    if (wanted === subscription.presence) return false;
    subscription.presence = wanted;
    return true;
  }

  private queue(next: SubscribeRequest): void {
    this.batch.add(next);
  }

  private send(next: SubscribeRequest): void {
    // Not ready: the (re)connect re-subscribes every channel from a cursor low enough for all.
    if (!this.ready) return;
    // Followers that left in the same turn need no subscribe (and no unsubscribe after it).
    const channels = [...next.subscriptions.keys()].filter((channel) => this.current(next, channel));
    if (channels.length === 0) return;
    const payload = { channels, ...(next.last === undefined ? {} : { last: next.last }), ...(next.presence ? {} : { presence: false }) };
    this.hold(next, channels);
    this.socket.emit("subscribe", payload, (answer) => this.onAck(next, answer));
  }

  /** Live notifications of a join or a replay in flight wait for its ack (see Subscription.held). */
  private hold(next: SubscribeRequest, channels: string[]): void {
    for (const channel of channels) {
      if (next.kind === "join") {
        const subscription = next.subscriptions.get(channel);
        if (subscription) subscription.held ??= [];
      }
      if (next.kind === "replay") next.targets.get(channel)?.forEach((follower) => (follower.held ??= []));
    }
  }

  /** The request was answered for `channels` (or never will be): what they held goes out. */
  private release(next: SubscribeRequest, channels: Iterable<string>): void {
    for (const channel of channels) {
      const subscription = this.current(next, channel);
      if (subscription && next.kind === "join") releaseHeld(subscription);
      if (next.kind === "replay") next.targets.get(channel)?.forEach(releaseFollower);
    }
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
    const left = answer.granted.filter((channel) => !this.subscriptions.has(channel));
    if (left.length > 0 && next.kind !== "presence") this.socket.emit("unsubscribe", { channels: left }, () => undefined);
    for (const channel of answer.granted) this.applyGrant(next, answer, channel);
    for (const notification of answer.notifications ?? []) this.deliverReplayed(next, notification);
    for (const channel of answer.denied) {
      const subscription = this.current(next, channel);
      if (!subscription) continue;
      if (next.kind === "join") setState(subscription, "denied");
      else next.targets.get(channel)?.forEach((follower) => follower.listener.onState?.("denied"));
    }
    // While `more` pages through, the next page's ack releases what is held.
    const paging = new Set(answer.more ? answer.granted : []);
    this.release(next, [...next.subscriptions.keys()].filter((channel) => !paging.has(channel)));
    if (answer.more) this.followMore(next, answer);
  }

  private applyGrant(next: SubscribeRequest, answer: ParsedSubscribeAck, channel: string): void {
    const subscription = this.current(next, channel);
    if (!subscription) return;
    if (next.kind === "join") {
      subscription.cursor.advanceTo(answer.last);
      subscription.coveredFrom ??= answer.last;
      subscription.paging = answer.more ? answer.last : undefined;
      setState(subscription, "granted");
      if (answer.reset) subscription.followers.forEach((follower) => !follower.ended && follower.listener.onReset?.());
    }
    if (next.kind === "replay") {
      for (const follower of next.targets.get(channel) ?? []) {
        follower.replayFrom = answer.more ? answer.last : undefined;
        if (answer.reset) follower.listener.onReset?.();
      }
    }
  }

  /** Notifications inside an ack: the join's go to everyone, a late follower's to it alone. */
  private deliverReplayed(next: SubscribeRequest, notification: WireNotification): void {
    const subscription = this.current(next, notification.channel);
    if (!subscription) return;
    if (next.kind === "join") return deliver(subscription, notification);
    for (const follower of next.targets.get(notification.channel) ?? []) deliverTo(follower, notification);
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
    for (const channel of next.subscriptions.keys()) {
      const subscription = this.current(next, channel);
      if (!subscription) continue;
      if (next.kind === "join") setState(subscription, "denied");
      // A late follower whose replay was refused cannot trust its render any more.
      if (next.kind === "replay") next.targets.get(channel)?.forEach((follower) => follower.listener.onReset?.());
    }
  }

  private setStatus(status: BusStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.statusListeners.forEach((listener) => listener(status));
  }

  private endSession(reason: SessionEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.ready = false;
    this.socket.disconnect();
    this.setStatus("reconnecting");
    this.options.onSessionEnded?.(reason);
  }

  private readonly onConnect = (): void => {
    const { personalChannel } = this.options;
    if (personalChannel === undefined) return this.becomeReady();
    // The cookie may have changed since the page was rendered (signed in as someone else in
    // another tab): nothing is subscribed before the socket proves it is the page's user.
    this.socket.emit("subscribe", { channels: [personalChannel] }, (raw) => {
      const answer = subscribeAnswerSchema.safeParse(raw);
      if (answer.success && "granted" in answer.data && answer.data.granted.includes(personalChannel)) this.becomeReady();
      else this.endSession("other_user");
    });
  };

  private becomeReady(): void {
    this.ready = true;
    this.setStatus(this.browserOnline ? "connected" : "offline");
    for (const subscription of this.subscriptions.values()) {
      if (subscription.state === "revoked" || subscription.state === "denied") continue;
      const last = resumeFrom(subscription);
      subscription.coveredFrom = last;
      subscription.paging = undefined;
      subscription.followers.forEach((follower) => (follower.replayFrom = undefined));
      this.queue(request("join", subscription, last));
    }
  }

  private readonly onConnectError = (error: Error): void => {
    // The handshake refuses a missing, expired or signed-out session; socket.io does not retry that.
    if (error.message === "unauthorized") this.endSession("unauthorized");
  };

  private readonly onDisconnect = (): void => {
    this.ready = false;
    this.batch.clear();
    for (const subscription of this.subscriptions.values()) {
      // Live notifications that came are real: delivered (the reconnect drops any repeat).
      releaseHeld(subscription);
      subscription.followers.forEach(releaseFollower);
      subscription.cursor.disconnected();
      for (const follower of subscription.followers) follower.cursor.disconnected();
      subscription.snapshots.clear();
      if (subscription.state === "granted") subscription.state = "subscribing";
    }
    if (!this.ended) this.setStatus(this.browserOnline ? "reconnecting" : "offline");
  };

  private readonly onNotification = (raw: unknown): void => {
    const parsed = wireNotificationSchema.safeParse(raw);
    if (!parsed.success) return;
    const subscription = this.subscriptions.get(parsed.data.channel);
    if (subscription) deliverLive(subscription, parsed.data);
  };

  private readonly onRevoked = (raw: unknown): void => {
    const parsed = revokedSchema.safeParse(raw);
    if (!parsed.success) return;
    const { channel, reason } = parsed.data;
    const subscription = this.subscriptions.get(channel);
    if (subscription) setState(subscription, "revoked", reason);
    // "Sign out everywhere": the server revokes the personal channel and disconnects the socket.
    const personal = this.options.personalChannel;
    if (reason === "signed_out" && (personal === undefined || channel === personal)) this.endSession("signed_out");
  };
}
