// The bus over one Socket.IO socket, free of React: channels reference-counted across their
// followers, each follower's own replay from its own cursor, replay inside the subscribe ack
// (paged with `more`), re-subscription after a reconnect, and a check that the socket still
// belongs to the page's user. A tab uses it on its own socket; the SharedWorker uses it for every
// tab behind it (each tab's listeners are followers). The calls on the wire: subscribe-calls.ts.
import type { BusSocket } from "./bus-socket";
import { request } from "./subscribe-batch";
import { afterDisconnect, rejoin } from "./reconnect";
import { SubscribeCalls } from "./subscribe-calls";
import {
  deliverLive,
  deliverTo,
  needsOwnReplay,
  newFollower,
  newSubscription,
  setState,
  updatePresence,
  type Follower,
  type Subscription,
} from "./subscription";
import type { Bus, BusStatus, ChannelListener, ListenOptions, SessionEnd } from "./types";
import { proveUser } from "./prove-user";
import { revokedSchema, wireNotificationSchema } from "./wire-schemas";

export type { BusSocket } from "./bus-socket";

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

export class BusClient implements Bus {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly statusListeners = new Set<(status: BusStatus) => void>();
  private readonly calls: SubscribeCalls;
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
    this.calls = new SubscribeCalls(socket, this.subscriptions, () => this.ready);
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
    const presenceChanged = updatePresence(subscription);
    if (join) this.calls.queue(request("join", subscription, options.since));
    else if (follower.replayFrom !== undefined)
      this.calls.queue(request("replay", subscription, follower.replayFrom, follower));
    else if (presenceChanged) this.calls.queue(request("presence", subscription, undefined));
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
    this.calls.clear();
    this.socket.disconnect();
  }

  private unlisten(channel: string, follower: Follower): void {
    const subscription = this.subscriptions.get(channel);
    if (!subscription?.followers.delete(follower)) return;
    if (subscription.followers.size > 0) {
      if (updatePresence(subscription)) this.calls.queue(request("presence", subscription, undefined));
      return;
    }
    this.subscriptions.delete(channel);
    // A join still on its way is left again when its ack arrives (see onAck).
    if (this.ready && subscription.state === "granted")
      this.socket.emit("unsubscribe", { channels: [channel] }, () => undefined);
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
    proveUser(this.socket, personalChannel, (proven) => (proven ? this.becomeReady() : this.endSession("other_user")));
  };

  private becomeReady(): void {
    this.ready = true;
    this.setStatus(this.browserOnline ? "connected" : "offline");
    for (const subscription of this.subscriptions.values()) {
      const join = rejoin(subscription);
      if (join) this.calls.queue(join);
    }
  }

  private readonly onConnectError = (error: Error): void => {
    // The handshake refuses a missing, expired or signed-out session; socket.io does not retry that.
    if (error.message === "unauthorized") this.endSession("unauthorized");
  };

  private readonly onDisconnect = (): void => {
    this.ready = false;
    this.calls.clear();
    this.subscriptions.forEach(afterDisconnect);
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
