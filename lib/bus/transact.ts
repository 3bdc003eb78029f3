// The one way to change a record and announce it: `transact` runs the change in a database
// transaction, stores each announced notification in that same transaction, and emits them
// (and runs revocations) only after the commit, in id order on this node. A change that throws
// announces nothing. Conflated events (conflation.ts) are merged per transaction, and those that
// fall inside their channel's window wait in bus_conflated for the window's one notification.
import { AsyncLocalStorage } from "node:async_hooks";
import type { SqlHandle } from "@/lib/sql/sql-handle";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { busDatabase, setBusDatabase, type BusDatabase } from "./bus-database";
import { conflationOf } from "./channel-kinds";
import { planCommit, type Announced, type Conflated, type Step } from "./commit-plan";
import type { Conflation } from "./conflated-event";
import { deferAnnouncements, flushConflated, scheduleFlush, type StoreMerged } from "./conflation";
import type { Channel, EventName, EventsOf, WireNotification } from "./events";
import { emitNotification } from "./emit";
import { takeEmitTurn, type EmitTurn } from "./emit-order";
import { metrics } from "./metrics";
import { storeNotifications } from "./store";

export type Announce = <C extends Channel, E extends EventName<C>>(
  channel: C,
  event: E,
  payload: EventsOf<C>[E],
) => void;

/** `tx`: the transaction's handle, of the app's own type when transact came from transactOn. */
export type TransactionScope<Tx extends SqlHandle = SqlHandle> = {
  tx: Tx;
  announce: Announce;
  /** Runs `effect` after commit, in order with the announcements (e.g. a revocation). */
  afterCommit: (effect: () => void) => void;
};

type OpenScope<Tx extends SqlHandle = SqlHandle> = {
  scope: TransactionScope<Tx>;
  announced: Announced[];
  conflated: Map<string, Conflated>;
};

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "bus:transact": AsyncLocalStorage<OpenScope>;
  }
}

const open = processSingleton("bus:transact", () => new AsyncLocalStorage<OpenScope>());

/** Thrown by a transact() called inside a plain transaction() (see runTransaction). */
export class NestedTransactError extends Error {
  constructor() {
    super(
      "transact() was called inside a transaction(): its notifications would go out before that transaction commits. Call transact() at the outside, and do the other work inside it.",
    );
    this.name = "NestedTransactError";
  }
}

/** Runs `work` in a transaction of the bus's database and announces what it announced after the commit. */
export async function transact<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
  return runTransaction(busDatabase(), work, true);
}

/**
 * Hands `database` to the bus and returns transact for it, whose scope's `tx` has the app's own
 * handle type (its tables and relations), for the app's modules that announce.
 */
export function transactOn<Tx extends SqlHandle>(
  database: BusDatabase<Tx>,
): <T>(work: (scope: TransactionScope<Tx>) => Promise<T>) => Promise<T> {
  setBusDatabase(database);
  return (work) => runTransaction(database, work, true);
}

/** A flush's own transaction stores its merged notification as given: it closes the window. */
const storeMerged: StoreMerged = async (channel, event, merge) => {
  await runTransaction(
    busDatabase(),
    async (scope) => {
      const payload = await merge(scope.tx);
      if (payload !== undefined) announceIn(scope, { notification: { channel, event, payload } });
    },
    false,
  );
};

/** Merges any waiting announcements of `event` on `channel` now (the sweep of a dead node's windows). */
export const flushConflatedNow = (channel: string, event: string, conflation: Conflation): Promise<void> =>
  flushConflated(channel, event, conflation, storeMerged);

function announceIn(scope: TransactionScope, announced: Announced): void {
  const state = open.getStore();
  if (!state || state.scope !== scope) throw new Error("announce() was called outside its transaction");
  state.announced.push(announced);
}

function openScope<Tx extends SqlHandle>(tx: Tx, conflate: boolean): OpenScope<Tx> {
  const state: OpenScope<Tx> = {
    announced: [],
    conflated: new Map(),
    scope: { tx, announce: () => {}, afterCommit: () => {} },
  };
  state.scope.announce = (channel, event, payload) => {
    const conflation = conflate ? conflationOf(channel, event) : undefined;
    if (!conflation) {
      state.announced.push({ notification: { channel, event, payload } });
      return;
    }
    // Within one transaction a conflated event is one announcement already, at its first place.
    const key = `${channel}\u0000${event}`;
    const earlier = state.conflated.get(key);
    if (earlier) earlier.payload = conflation.merge(earlier.payload, payload);
    else {
      const entry = { channel, event, payload, conflation };
      state.conflated.set(key, entry);
      state.announced.push({ conflated: entry });
    }
  };
  state.scope.afterCommit = (effect) => state.announced.push(effect);
  return state;
}

async function runTransaction<Tx extends SqlHandle, T>(
  database: BusDatabase<Tx>,
  work: (scope: TransactionScope<Tx>) => Promise<T>,
  conflate: boolean,
): Promise<T> {
  // A transact inside another one joins it: its announcements wait for the outer commit.
  const outer = open.getStore();
  // Its handle is the outer transaction's, as the app's database gives it (typed as the app's).
  if (outer) return work({ ...outer.scope, tx: database.current() });
  // Inside a plain transaction() it would join that one (db/client.ts) and emit when its own work
  // is done, before the outer commit or even after a rollback. It refuses rather than joins: to
  // join, the outer transaction would have to carry this one's emit turn and steps to its commit,
  // holding the node's emit line (and on PostgreSQL the order lock) for work the bus cannot see.
  if (database.inTransaction()) throw new NestedTransactError();

  let stored: WireNotification[] = [];
  let steps: Step[] = [];
  let deferred: Conflated[] = [];
  let turn: EmitTurn | undefined;
  const committed = database.transaction(async (tx) => {
    const state = openScope(tx, conflate);
    const value = await open.run(state, () => work(state.scope));
    const plan = planCommit(state.announced);
    await deferAnnouncements(tx, plan.deferred);
    // Stored last, after the change itself: on PostgreSQL the store serializes announcing
    // transactions from here to the commit (ids must commit in id order), so the lock is short.
    stored = await storeNotifications(tx, plan.pending);
    // Before the commit, with the order lock held: no other transaction has drawn later ids yet.
    if (stored.length > 0) turn = takeEmitTurn();
    steps = plan.steps;
    deferred = plan.deferred;
    return value;
  });
  const result = await committed.catch((error: unknown) => {
    turn?.settle(null);
    throw error;
  });
  const committedAt = performance.now();
  for (const { channel, event, conflation } of deferred) scheduleFlush(channel, event, conflation, storeMerged);
  const runSteps = () => {
    for (const step of steps) {
      if (typeof step !== "number") step();
      else {
        const notification = stored[step];
        if (notification) emitNotification(notification);
      }
    }
    // Every effect after the commit together: the last emit's delay is what a subscriber waits.
    if (steps.length > 0) metrics().commitToEmit.observe((performance.now() - committedAt) / 1000);
  };
  if (turn) turn.settle(runSteps);
  else runSteps();
  return result;
}
