// The browser side of the bus, free of React: one socket, reference-counted channel
// subscriptions, a per-channel cursor so a reconnect replays exactly what was missed, and
// de-duplication by notification id.
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ErrorAck, RevokedMessage, ServerToClientEvents, SubscribeAck, WireNotification } from "../events";

export type BusStatus = "connected" | "reconnecting" | "offline";
export type ChannelState = "subscribing" | "granted" | "denied" | "revoked";
export type BusSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ChannelListener = {
  onNotification: (notification: WireNotification) => void;
  /** The server could not replay everything missed: refetch state. */
  onReset?: () => void;
  onState?: (state: ChannelState, reason?: RevokedMessage["reason"]) => void;
};

type Subscription = {
  listeners: Set<ChannelListener>;
  /** Highest id this channel is known to be caught up to; undefined = live only. */
  cursor: number | undefined;
  /** Ids received in the last SETTLE_MS: not yet part of the cursor (see `resumeCursor`). */
  recent: Array<{ id: number; at: number }>;
  state: ChannelState;
  presence: boolean;
};

const SEEN_IDS_KEPT = 2000;
/**
 * Across nodes, id 11 (emitted on this socket's node) can arrive a few milliseconds before id 10
 * (coming through Redis). Resuming from 11 after a disconnect in that window would skip 10, so an
 * id counts toward the resume cursor only once it is this old, counted while connected; younger
 * ones are replayed again and dropped as already seen.
 */
const SETTLE_MS = 2000;

function isErrorAck(answer: SubscribeAck | ErrorAck): answer is ErrorAck {
  return "error" in answer;
}

export class BusClient {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly seen = new Set<number>();
  private readonly statusListeners = new Set<(status: BusStatus) => void>();
  private currentStatus: BusStatus = "reconnecting";

  constructor(
    private readonly socket: BusSocket,
    private readonly now: () => number = Date.now,
  ) {
    socket.on("connect", this.onConnect);
    socket.on("disconnect", this.onDisconnect);
    socket.on("notification", this.onNotification);
    socket.on("revoked", this.onRevoked);
  }

  get status(): BusStatus {
    return this.currentStatus;
  }

  /** Marks the browser offline/online (navigator events); the socket reconnects by itself. */
  setBrowserOnline(online: boolean): void {
    this.setStatus(online ? (this.socket.connected ? "connected" : "reconnecting") : "offline");
  }

  onStatus(listener: (status: BusStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Adds a listener on `channel`; the first listener subscribes. `since` is the cursor of the
   * server render the caller shows, so replay fills the gap between render and subscribe.
   */
  listen(channel: string, listener: ChannelListener, options: { since?: number; presence?: boolean } = {}): () => void {
    let subscription = this.subscriptions.get(channel);
    if (!subscription) {
      subscription = { listeners: new Set(), cursor: options.since, recent: [], state: "subscribing", presence: options.presence ?? true };
      this.subscriptions.set(channel, subscription);
      if (this.socket.connected) this.subscribe([channel], options.since);
    }
    subscription.listeners.add(listener);
    listener.onState?.(subscription.state);
    return () => this.unlisten(channel, listener);
  }

  close(): void {
    this.socket.off("connect", this.onConnect);
    this.socket.off("disconnect", this.onDisconnect);
    this.socket.off("notification", this.onNotification);
    this.socket.off("revoked", this.onRevoked);
    this.socket.disconnect();
  }

  private unlisten(channel: string, listener: ChannelListener): void {
    const subscription = this.subscriptions.get(channel);
    if (!subscription) return;
    subscription.listeners.delete(listener);
    if (subscription.listeners.size > 0) return;
    this.subscriptions.delete(channel);
    if (this.socket.connected && subscription.state === "granted") this.socket.emit("unsubscribe", { channels: [channel] }, () => undefined);
  }

  private subscribe(channels: string[], last: number | undefined): void {
    const presence = this.subscriptions.get(channels[0] ?? "")?.presence ?? true;
    const payload = { channels, ...(last === undefined ? {} : { last }), ...(presence ? {} : { presence: false }) };
    this.socket.emit("subscribe", payload, (answer) => {
      if (isErrorAck(answer)) return channels.forEach((channel) => this.setState(channel, "denied"));
      // Channels whose last listener left while the ack was on its way: leave them again, or the
      // socket would linger in the room (and in presence) until the tab closes.
      const abandoned = answer.granted.filter((channel) => !this.subscriptions.has(channel));
      if (abandoned.length > 0) this.socket.emit("unsubscribe", { channels: abandoned }, () => undefined);
      for (const channel of answer.granted) {
        const subscription = this.subscriptions.get(channel);
        if (!subscription) continue;
        subscription.cursor = Math.max(subscription.cursor ?? 0, answer.last);
        this.setState(channel, "granted");
        if (answer.reset) subscription.listeners.forEach((listener) => listener.onReset?.());
      }
      for (const channel of answer.denied) this.setState(channel, "denied");
      // The replay comes inside the ack, oldest first; `more` asks for the next page from `last`.
      for (const notification of answer.notifications ?? []) this.onNotification(notification);
      const following = answer.granted.filter((channel) => this.subscriptions.has(channel));
      if (answer.more && following.length > 0) this.subscribe(following, answer.last);
    });
  }

  private setState(channel: string, state: ChannelState, reason?: RevokedMessage["reason"]): void {
    const subscription = this.subscriptions.get(channel);
    if (!subscription) return;
    subscription.state = state;
    subscription.listeners.forEach((listener) => listener.onState?.(state, reason));
  }

  private setStatus(status: BusStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.statusListeners.forEach((listener) => listener(status));
  }

  private readonly onConnect = (): void => {
    this.setStatus("connected");
    // Re-subscribe everything still wanted, grouped by cursor and presence, to replay what was missed.
    const groups = new Map<string, string[]>();
    for (const [channel, subscription] of this.subscriptions) {
      if (subscription.state === "revoked" || subscription.state === "denied") continue;
      const key = `${this.resumeCursor(subscription) ?? ""}|${subscription.presence}`;
      groups.set(key, [...(groups.get(key) ?? []), channel]);
    }
    for (const [key, channels] of groups) {
      const cursor = key.split("|")[0];
      this.subscribe(channels, cursor ? Number(cursor) : undefined);
    }
  };

  private readonly onDisconnect = (): void => {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.state === "granted") subscription.state = "subscribing";
      // Only time connected settles an id: what was still in flight never reaches this
      // connection, however long the reconnect takes, so the younger ids are replayed instead.
      this.settle(subscription);
      subscription.recent = [];
    }
    this.setStatus(typeof navigator !== "undefined" && navigator.onLine === false ? "offline" : "reconnecting");
  };

  private readonly onNotification = (notification: WireNotification): void => {
    const subscription = this.subscriptions.get(notification.channel);
    if (notification.id !== null) {
      if (this.seen.has(notification.id)) return;
      this.seen.add(notification.id);
      if (this.seen.size > SEEN_IDS_KEPT) this.seen.delete(this.seen.values().next().value ?? 0);
      if (subscription) {
        this.settle(subscription);
        subscription.recent.push({ id: notification.id, at: this.now() });
      }
    }
    subscription?.listeners.forEach((listener) => listener.onNotification(notification));
  };

  /** Folds ids received long enough ago into the cursor (`recent` is in arrival order). */
  private settle(subscription: Subscription): void {
    const settledBefore = this.now() - SETTLE_MS;
    while (subscription.recent.length > 0 && (subscription.recent[0]?.at ?? Infinity) <= settledBefore) {
      const entry = subscription.recent.shift();
      if (entry) subscription.cursor = Math.max(subscription.cursor ?? 0, entry.id);
    }
  }

  /** The cursor to resume from after a reconnect. */
  private resumeCursor(subscription: Subscription): number | undefined {
    this.settle(subscription);
    return subscription.cursor;
  }

  private readonly onRevoked = (message: RevokedMessage): void => {
    this.setState(message.channel, "revoked", message.reason);
  };
}
