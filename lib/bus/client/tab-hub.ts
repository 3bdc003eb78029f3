// The SharedWorker's side of its tabs: each tab's port, its listeners on the worker's one
// BusClient, the pings that find tabs gone without a goodbye, and the socket's life (opened
// with the first listener, closed as soon as the last tab is gone).
import type { BusClient } from "./bus-client";
import { MISSED_PINGS_ALLOWED, PING_MS, tabMessageSchema, type TabMessage, type WorkerMessage } from "./port-messages";
import type { ChannelListener, SessionEnd } from "./types";

type Tab = { listeners: Map<number, () => void>; missed: number };

export type TabHubOptions = {
  /** Opens the worker's bus; `onSessionEnded` is to be passed to the BusClient. */
  openBus: (onSessionEnded: (reason: SessionEnd) => void) => BusClient;
  online: boolean;
  pingMs?: number;
};

export class TabHub {
  private readonly tabs = new Map<MessagePort, Tab>();
  private bus: BusClient | null = null;
  private pinger: ReturnType<typeof setInterval> | null = null;
  private online: boolean;

  constructor(private readonly options: TabHubOptions) {
    this.online = options.online;
  }

  /** A tab connected (the SharedWorker `connect` event). */
  connect(port: MessagePort): void {
    port.addEventListener("message", (event: MessageEvent) => {
      const parsed = tabMessageSchema.safeParse(event.data);
      if (parsed.success) this.onMessage(port, parsed.data);
    });
    port.start();
    this.tabOf(port);
  }

  /** The browser's network state: the latest of the worker's own events and its tabs' reports. */
  setOnline(online: boolean): void {
    this.online = online;
    this.bus?.setBrowserOnline(online);
  }

  get tabCount(): number {
    return this.tabs.size;
  }

  get connected(): boolean {
    return this.bus !== null;
  }

  private post(port: MessagePort, message: WorkerMessage): void {
    port.postMessage(message);
  }

  private broadcast(message: WorkerMessage): void {
    for (const port of this.tabs.keys()) this.post(port, message);
  }

  private ensureBus(): BusClient {
    if (this.bus) return this.bus;
    const bus = this.options.openBus((reason) => {
      // Every tab re-renders from the server (sign-in page, or the new user's page) and then
      // listens again, which opens a new socket with whatever session the cookie holds now.
      this.broadcast({ type: "session_ended", reason });
      for (const tab of this.tabs.values()) tab.listeners.clear();
      this.closeBus();
    });
    bus.onStatus((status) => this.broadcast({ type: "status", status }));
    bus.setBrowserOnline(this.online);
    this.bus = bus;
    return bus;
  }

  private closeBus(): void {
    this.bus?.close();
    this.bus = null;
  }

  /** Stops following a tab's channels; the last tab gone closes the socket at once. */
  private forget(port: MessagePort, tellTab: boolean): void {
    const tab = this.tabs.get(port);
    if (!tab) return;
    this.tabs.delete(port);
    tab.listeners.forEach((unlisten) => unlisten());
    if (tellTab) this.post(port, { type: "dropped" });
    if (this.tabs.size > 0) return;
    this.closeBus();
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
  }

  private ping(): void {
    for (const [port, tab] of this.tabs) {
      if (tab.missed >= MISSED_PINGS_ALLOWED) {
        this.forget(port, true);
        continue;
      }
      tab.missed += 1;
      this.post(port, { type: "ping" });
    }
  }

  /** A port the hub does not know (new, or forgotten and back) is (re)registered by any message. */
  private tabOf(port: MessagePort): Tab {
    let tab = this.tabs.get(port);
    if (!tab) {
      tab = { listeners: new Map(), missed: 0 };
      this.tabs.set(port, tab);
      this.pinger ??= setInterval(() => this.ping(), this.options.pingMs ?? PING_MS);
      this.post(port, { type: "status", status: this.bus?.status ?? "reconnecting" });
    }
    return tab;
  }

  private listenerFor(port: MessagePort, key: number): ChannelListener {
    return {
      onNotification: (notification) => this.post(port, { type: "notification", key, notification }),
      onReset: () => this.post(port, { type: "reset", key }),
      onState: (state, reason) => this.post(port, { type: "state", key, state, ...(reason ? { reason } : {}) }),
    };
  }

  private onMessage(port: MessagePort, message: TabMessage): void {
    if (message.type === "bye") return this.forget(port, false);
    const tab = this.tabOf(port);
    tab.missed = 0;
    switch (message.type) {
      case "online":
        return this.setOnline(message.online);
      case "listen": {
        tab.listeners.get(message.key)?.();
        const options = { since: message.since, presence: message.presence };
        tab.listeners.set(
          message.key,
          this.ensureBus().listen(message.channel, this.listenerFor(port, message.key), options),
        );
        return;
      }
      case "unlisten":
        tab.listeners.get(message.key)?.();
        tab.listeners.delete(message.key);
        return;
      case "pong":
        return;
    }
  }
}
