// The one way to change a record and announce it: `transact` runs the change in a database
// transaction, stores each announced notification in that same transaction, and emits them
// (and runs revocations) only after the commit. A change that throws announces nothing.
import { db, type Tx } from "@/db/client";
import type { Channel, EventName, EventsOf } from "./events";
import { emitNotification } from "./emit";
import { metrics } from "./metrics";
import { storeNotification } from "./store";

export type Announce = <C extends Channel, E extends EventName<C>>(channel: C, event: E, payload: EventsOf<C>[E]) => void;

export type TransactionScope = {
  tx: Tx;
  announce: Announce;
  /** Runs `effect` after commit, in order with the announcements (e.g. a revocation). */
  afterCommit: (effect: () => void) => void;
};

export function transact<T>(work: (scope: TransactionScope) => T): T {
  const effects: Array<() => void> = [];
  const result = db().transaction(
    (tx) =>
      work({
        tx,
        announce: (channel, event, payload) => {
          const notification = storeNotification(tx, channel, event, payload);
          effects.push(() => emitNotification(notification));
        },
        afterCommit: (effect) => effects.push(effect),
      }),
    // IMMEDIATE takes the write lock at BEGIN. A deferred transaction that reads first fails at
    // its first write ("database is locked", no busy wait) when another process — a second node,
    // a script — committed in between; this way the other writer waits its busy timeout instead.
    { behavior: "immediate" },
  );
  const committedAt = performance.now();
  for (const effect of effects) effect();
  // Every effect after the commit together: the last emit's delay is what a subscriber waits.
  if (effects.length > 0) metrics().commitToEmit.observe((performance.now() - committedAt) / 1000);
  return result;
}
