// Emitting to channels: stored notifications after their commit (transact.ts calls it), and
// volatile events (presence, stats) that are never stored or replayed and carry `id: null`.
import type { Channel, EventName, EventsOf, PresenceEvents, WireNotification } from "./events";
import { busScope, localScope } from "./io";
import { metrics } from "./metrics";

export function emitNotification(notification: WireNotification): void {
  const scope = busScope();
  if (!scope) return;
  scope.to(notification.channel).emit("notification", notification);
  metrics().emitted.inc({ kind: "stored" });
}

export type VolatileOptions = {
  /** Only to this node's sockets: for what every node computes and sends its own (stats, refreshes). */
  localOnly?: boolean;
  /** Only to these sockets (by id) instead of the whole channel; the message still names the channel. */
  sockets?: string[];
  /** Not to these sockets (by id): they get a message of their own (presence's newcomers). */
  except?: string[];
};

function emitUnstored(channel: string, event: string, payload: unknown, options: VolatileOptions): void {
  const scope = options.localOnly ? localScope() : busScope();
  if (!scope) return;
  const target = scope.to(options.sockets ?? channel);
  (options.except && options.except.length > 0 ? target.except(options.except) : target).emit("notification", {
    id: null,
    channel,
    event,
    payload,
    at: new Date().toISOString(),
  });
  metrics().emitted.inc({ kind: "volatile" });
}

/** Emits a volatile event of a typed channel. */
export function emitVolatile<C extends Channel, E extends EventName<C>>(
  channel: C,
  event: E,
  payload: EventsOf<C>[E],
  options: VolatileOptions = {},
): void {
  emitUnstored(channel, event, payload, options);
}

/** The bus's own `presence` event, on a channel of any kind that opted in to presence. */
export function emitPresence(
  channel: string,
  payload: PresenceEvents["presence"],
  options: VolatileOptions = {},
): void {
  emitUnstored(channel, "presence", payload, options);
}
