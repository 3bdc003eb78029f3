// A tab's bus when the browser's one socket lives in the SharedWorker: listeners are forwarded
// over the MessagePort, and the tab keeps each listener's own cursor, so when the worker forgets
// the tab (missed pings, bfcache) or is lost, the tab listens again from exactly where it was.
import { ChannelCursor } from "./channel-cursor";
import {
  MISSED_PINGS_ALLOWED,
  PING_MS,
  workerMessageSchema,
  type TabMessage,
  type WorkerMessage,
} from "./port-messages";
import type { Bus, BusStatus, ChannelListener, ListenOptions, SessionEnd } from "./types";

type Listening = { channel: string; listener: ChannelListener; presence: boolean; cursor: ChannelCursor };

export type SharedBusOptions = {
  /** Opens a port to the worker (a new SharedWorker object of the same name and URL). */
  connect: () => MessagePort;
  onSessionEnded: (reason: SessionEnd) => void;
  /** The worker never answered: the provider falls back to a socket of the tab's own. */
  onUnavailable: () => void;
  now?: () => number;
};

/** How long a first answer may take (a cold dev server compiles the worker on first request). */
const FIRST_ANSWER_MS = 10_000;

export class SharedBus implements Bus {
  private readonly listening = new Map<number, Listening>();
  private readonly statusListeners = new Set<(status: BusStatus) => void>();
  private port: MessagePort;
  private nextKey = 0;
  private workerStatus: BusStatus = "reconnecting";
  private online = typeof navigator === "undefined" || navigator.onLine;
  private lastHeard: number | null = null;
  private readonly watchdog: ReturnType<typeof setInterval>;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: SharedBusOptions) {
    this.now = options.now ?? Date.now;
    this.port = this.attach();
    const startedAt = this.now();
    // Timers of a hidden tab are throttled, but port messages are not, so `lastHeard` stays
    // fresh in a background tab; only a worker that is gone goes quiet.
    this.watchdog = setInterval(() => {
      if (this.lastHeard === null) {
        if (this.now() - startedAt > FIRST_ANSWER_MS) this.options.onUnavailable();
      } else if (this.now() - this.lastHeard > PING_MS * (MISSED_PINGS_ALLOWED + 2)) {
        this.reattach();
      }
    }, PING_MS);
  }

  get status(): BusStatus {
    return this.online ? this.workerStatus : "offline";
  }

  onStatus(listener: (status: BusStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  setBrowserOnline(online: boolean): void {
    if (online !== this.online) this.send({ type: "online", online });
    this.changeStatus(() => (this.online = online));
  }

  listen(channel: string, listener: ChannelListener, options: ListenOptions = {}): () => void {
    const key = this.nextKey++;
    const entry: Listening = {
      channel,
      listener,
      presence: options.presence ?? true,
      cursor: new ChannelCursor(options.since, this.now),
    };
    this.listening.set(key, entry);
    listener.onState?.("subscribing");
    this.send({ type: "listen", key, channel, since: options.since, presence: entry.presence });
    return () => {
      if (!this.listening.delete(key)) return;
      this.send({ type: "unlisten", key });
    };
  }

  /** The tab is going away (pagehide) or back (pageshow from the back/forward cache). */
  suspend(): void {
    this.send({ type: "bye" });
  }

  resume(): void {
    this.relisten();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    this.send({ type: "bye" });
    this.port.close();
  }

  private attach(): MessagePort {
    const port = this.options.connect();
    port.addEventListener("message", (event: MessageEvent) => {
      if (port !== this.port) return;
      const parsed = workerMessageSchema.safeParse(event.data);
      if (parsed.success) this.onMessage(parsed.data);
    });
    port.start();
    // Every tab shares the browser's network: the newest report is the worker's truth.
    port.postMessage({ type: "online", online: this.online } satisfies TabMessage);
    return port;
  }

  /** The worker is gone (crashed, or killed): a new SharedWorker object starts a new one. */
  private reattach(): void {
    this.port.close();
    this.lastHeard = this.now();
    this.port = this.attach();
    this.relisten();
  }

  /** Every listener again, each from its own cursor (what it has, not what it was rendered with). */
  private relisten(): void {
    for (const [key, entry] of this.listening) {
      this.send({
        type: "listen",
        key,
        channel: entry.channel,
        since: entry.cursor.resume(),
        presence: entry.presence,
      });
    }
  }

  private send(message: TabMessage): void {
    if (!this.closed || message.type === "bye") this.port.postMessage(message);
  }

  private changeStatus(change: () => void): void {
    const before = this.status;
    change();
    if (this.status !== before) this.statusListeners.forEach((listener) => listener(this.status));
  }

  private onMessage(message: WorkerMessage): void {
    this.lastHeard = this.now();
    switch (message.type) {
      case "ping":
        return this.send({ type: "pong" });
      case "status":
        return this.changeStatus(() => (this.workerStatus = message.status));
      case "dropped":
        return this.relisten();
      case "session_ended":
        return this.options.onSessionEnded(message.reason);
      case "notification": {
        const entry = this.listening.get(message.key);
        if (entry?.cursor.accept(message.notification.id)) entry.listener.onNotification(message.notification);
        return;
      }
      case "state":
        return this.listening.get(message.key)?.listener.onState?.(message.state, message.reason);
      case "reset":
        return this.listening.get(message.key)?.listener.onReset?.();
    }
  }
}
