// Waiting on a bus client in tests: for a notification, a revocation, a disconnect, an ack, or a
// condition, each with an upper bound that fails the test (never a stand-in for the condition).
import type { Socket as ClientSocket } from "socket.io-client";
import type {
  ClientToServerEvents,
  ErrorAck,
  RevokedMessage,
  ServerToClientEvents,
  SubscribeAck,
  WireNotification,
} from "@/lib/bus/events";

/** A typed client socket, as the browser's BusProvider holds it. */
export type BusClient = ClientSocket<ServerToClientEvents, ClientToServerEvents>;
/** The same socket without typing, for sending shapes the protocol forbids. */
export type RawClient = ClientSocket;

export type Recorder = {
  notifications: WireNotification[];
  revoked: RevokedMessage[];
  /** Both kinds of message, in arrival order. */
  timeline: Array<{ type: "notification"; message: WireNotification } | { type: "revoked"; message: RevokedMessage }>;
  stop: () => void;
};

/** Upper bound for any single wait: a failure signal, never a stand-in for a condition. */
export const WAIT_MS = 5000;

/** Rejects with `label` when `promise` has not settled within `ms`. */
export function within<T>(promise: Promise<T>, label: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when `condition` holds, checking every 20 ms; fails with `label` after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, label: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The next `notification` on `socket` that satisfies `predicate`. */
export function nextNotification(
  socket: BusClient,
  predicate: (notification: WireNotification) => boolean = () => true,
  label = "notification",
  ms = WAIT_MS,
): Promise<WireNotification> {
  let listener: ((notification: WireNotification) => void) | undefined;
  const matched = new Promise<WireNotification>((resolve) => {
    listener = (notification) => {
      if (predicate(notification)) resolve(notification);
    };
    socket.on("notification", listener);
  });
  return within(matched, label, ms).finally(() => socket.off("notification", listener));
}

/** The next `revoked` message on `socket`. */
export function nextRevoked(socket: BusClient, { ms = WAIT_MS }: { ms?: number } = {}): Promise<RevokedMessage> {
  let listener: ((message: RevokedMessage) => void) | undefined;
  const received = new Promise<RevokedMessage>((resolve) => {
    listener = resolve;
    socket.on("revoked", listener);
  });
  return within(received, "revoked", ms).finally(() => socket.off("revoked", listener));
}

/** Resolves with the disconnect reason the client sees. */
export function nextDisconnect(socket: BusClient): Promise<string> {
  return within(new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason))), "disconnect");
}

/** Starts keeping every notification and revocation `socket` receives. */
export function record(socket: BusClient): Recorder {
  const notifications: WireNotification[] = [];
  const revoked: RevokedMessage[] = [];
  const timeline: Recorder["timeline"] = [];
  const onNotification = (notification: WireNotification) => {
    notifications.push(notification);
    timeline.push({ type: "notification", message: notification });
  };
  const onRevoked = (message: RevokedMessage) => {
    revoked.push(message);
    timeline.push({ type: "revoked", message });
  };
  socket.on("notification", onNotification);
  socket.on("revoked", onRevoked);
  return {
    notifications,
    revoked,
    timeline,
    stop: () => {
      socket.off("notification", onNotification);
      socket.off("revoked", onRevoked);
    },
  };
}

/** The notifications `recorder` got after its first `revoked` message for `channel`. */
export function afterRevocation(recorder: Recorder, channel: string): WireNotification[] {
  const at = recorder.timeline.findIndex((entry) => entry.type === "revoked" && entry.message.channel === channel);
  if (at === -1) throw new Error(`no revoked message for ${channel}`);
  return recorder.timeline.slice(at + 1).flatMap((entry) => (entry.type === "notification" ? [entry.message] : []));
}

/** Sends `subscribe` and resolves with the server's acknowledgement. */
export function subscribe(socket: BusClient, payload: unknown): Promise<SubscribeAck | ErrorAck> {
  return socket.timeout(WAIT_MS).emitWithAck("subscribe", payload);
}

/** Like `subscribe`, but fails the test unless the ack is a grant list. */
export async function subscribeOk(socket: BusClient, payload: unknown): Promise<SubscribeAck> {
  const ack = await subscribe(socket, payload);
  if ("error" in ack) throw new Error(`subscribe was refused: ${ack.error}`);
  return ack;
}

export function unsubscribe(socket: BusClient, payload: unknown): Promise<{ ok: true } | ErrorAck> {
  return socket.timeout(WAIT_MS).emitWithAck("unsubscribe", payload);
}
