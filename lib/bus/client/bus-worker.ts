// The SharedWorker that owns a browser's one bus connection for one user and session (its name,
// see identity.ts): every tab's listeners follow channels through one BusClient, so the socket
// subscribes each channel once; tabs that stop answering pings are forgotten, and the socket
// closes as soon as the last tab is gone (the server then drops the user from presence).
import { BusClient } from "./bus-client";
import { openBusSocket } from "./bus-socket";
import { parseWorkerName } from "./identity";
import { MISSED_PINGS_ALLOWED, PING_MS, tabMessageSchema, type TabMessage, type WorkerMessage } from "./port-messages";
import type { ChannelListener } from "./types";

type Tab = { listeners: Map<number, () => void>; missed: number };

const identity = parseWorkerName(self.name);
const tabs = new Map<MessagePort, Tab>();
let bus: BusClient | null = null;
let pinger: ReturnType<typeof setInterval> | null = null;

function post(port: MessagePort, message: WorkerMessage): void {
  port.postMessage(message);
}

function broadcast(message: WorkerMessage): void {
  for (const port of tabs.keys()) post(port, message);
}

function openBus(userId: number): BusClient {
  const next = new BusClient(openBusSocket("worker"), {
    userId,
    onSessionEnded: (reason) => {
      // Every tab re-renders from the server (sign-in page, or the new user's page) and then
      // listens again, which opens a new socket with whatever session the cookie holds now.
      broadcast({ type: "session_ended", reason });
      for (const tab of tabs.values()) tab.listeners.clear();
      closeBus();
    },
  });
  next.onStatus((status) => broadcast({ type: "status", status }));
  next.setBrowserOnline(navigator.onLine);
  return next;
}

function closeBus(): void {
  bus?.close();
  bus = null;
}

function stopPinging(): void {
  if (pinger) clearInterval(pinger);
  pinger = null;
}

/** Stops following a tab's channels; the last tab gone closes the socket at once. */
function forget(port: MessagePort, tellTab: boolean): void {
  const tab = tabs.get(port);
  if (!tab) return;
  tabs.delete(port);
  tab.listeners.forEach((unlisten) => unlisten());
  if (tellTab) post(port, { type: "dropped" });
  if (tabs.size > 0) return;
  closeBus();
  stopPinging();
}

function ping(): void {
  for (const [port, tab] of tabs) {
    if (tab.missed >= MISSED_PINGS_ALLOWED) {
      forget(port, true);
      continue;
    }
    tab.missed += 1;
    post(port, { type: "ping" });
  }
}

/** A port the worker does not know (new, or forgotten and back) is (re)registered by any message. */
function tabOf(port: MessagePort): Tab {
  let tab = tabs.get(port);
  if (!tab) {
    tab = { listeners: new Map(), missed: 0 };
    tabs.set(port, tab);
    pinger ??= setInterval(ping, PING_MS);
    post(port, { type: "status", status: bus?.status ?? "reconnecting" });
  }
  return tab;
}

function listenerFor(port: MessagePort, key: number): ChannelListener {
  return {
    onNotification: (notification) => post(port, { type: "notification", key, notification }),
    onReset: () => post(port, { type: "reset", key }),
    onState: (state, reason) => post(port, { type: "state", key, state, ...(reason ? { reason } : {}) }),
  };
}

function onTabMessage(port: MessagePort, userId: number, message: TabMessage): void {
  if (message.type === "bye") return forget(port, false);
  const tab = tabOf(port);
  tab.missed = 0;
  if (message.type === "listen") {
    tab.listeners.get(message.key)?.();
    bus ??= openBus(userId);
    const options = { since: message.since, presence: message.presence };
    tab.listeners.set(message.key, bus.listen(message.channel, listenerFor(port, message.key), options));
  }
  if (message.type === "unlisten") {
    tab.listeners.get(message.key)?.();
    tab.listeners.delete(message.key);
  }
}

addEventListener("connect", (event) => {
  const port = event instanceof MessageEvent ? event.ports[0] : undefined;
  // A worker whose name is not a bus identity serves nobody: its tabs time out and fall back
  // to their own sockets.
  if (!port || !identity) return;
  port.addEventListener("message", (message: MessageEvent) => {
    const parsed = tabMessageSchema.safeParse(message.data);
    if (parsed.success) onTabMessage(port, identity.userId, parsed.data);
  });
  port.start();
  tabOf(port);
});

addEventListener("online", () => bus?.setBrowserOnline(true));
addEventListener("offline", () => bus?.setBrowserOnline(false));
