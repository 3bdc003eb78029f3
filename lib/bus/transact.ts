// The one way to change a record and announce it: `transact` runs the change in a database
// transaction, stores each announced notification in that same transaction, and emits them
// (and runs revocations) only after the commit. A change that throws announces nothing.
import { db, type Tx } from "@/db/client";
import type { Channel } from "./channel-name";
import type { EventName, EventsOf, WireNotification } from "./events";
import { busScope, localScope } from "./io";
import { metrics } from "./metrics";
import { storeNotification } from "./store";

export type Announce = <C extends Channel, E extends EventName<C>>(channel: C, event: E, payload: EventsOf<C>[E]) => void;

export type TransactionScope = {
  tx: Tx;
  announce: Announce;
  /** Runs `effect` after commit, in order with the announcements (e.g. a revocation). */
  afterCommit: (effect: () => void) => void;
};

export function emitNotification(notification: WireNotification): void {
  const scope = busScope();
  if (!scope) return;
  scope.to(notification.channel).emit("notification", notification);
  metrics().emitted.inc({ kind: "stored" });
}

export function transact<T>(work: (scope: TransactionScope) => T): T {
  const effects: Array<() => void> = [];
  const result = db().transaction((tx) =>
    work({
      tx,
      announce: (channel, event, payload) => {
        const notification = storeNotification(tx, channel, event, payload);
        effects.push(() => emitNotification(notification));
      },
      afterCommit: (effect) => effects.push(effect),
    }),
  );
  const committedAt = performance.now();
  for (const effect of effects) effect();
  // Every effect after the commit together: the last emit's delay is what a subscriber waits.
  if (effects.length > 0) metrics().commitToEmit.observe((performance.now() - committedAt) / 1000);
  return result;
}

export type VolatileOptions = {
  /** Only to this node's sockets: for what every node computes and sends its own (stats, refreshes). */
  localOnly?: boolean;
};

/** Emits a volatile event (presence, stats): never stored, never replayed, `id: null`. */
export function emitVolatile<C extends Channel, E extends EventName<C>>(channel: C, event: E, payload: EventsOf<C>[E], options: VolatileOptions = {}): void {
  const scope = options.localOnly ? localScope() : busScope();
  if (!scope) return;
  scope.to(channel).emit("notification", { id: null, channel, event, payload, at: new Date().toISOString() });
  metrics().emitted.inc({ kind: "volatile" });
}
