// The one way to change a record and announce it: `transact` runs the change in a database
// transaction, stores each announced notification in that same transaction, and emits them
// (and runs revocations) only after the commit, in id order on this node. A change that throws
// announces nothing.
import { AsyncLocalStorage } from "node:async_hooks";
import { transaction, type Tx } from "@/db/client";
import { processSingleton } from "@/lib/runtime/process-singleton";
import type { Channel, EventName, EventsOf, WireNotification } from "./events";
import { emitNotification } from "./emit";
import { takeEmitTurn, type EmitTurn } from "./emit-order";
import { metrics } from "./metrics";
import { storeNotifications, type NewNotification } from "./store";

export type Announce = <C extends Channel, E extends EventName<C>>(channel: C, event: E, payload: EventsOf<C>[E]) => void;

export type TransactionScope = {
  tx: Tx;
  announce: Announce;
  /** Runs `effect` after commit, in order with the announcements (e.g. a revocation). */
  afterCommit: (effect: () => void) => void;
};

/** One after-commit step: an announcement (by its index among the stored ones) or an effect. */
type Step = number | (() => void);

type OpenScope = { scope: TransactionScope; pending: NewNotification[]; steps: Step[] };

const open = processSingleton("bus:transact", () => new AsyncLocalStorage<OpenScope>());

export async function transact<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
  // A transact inside another one joins it: its announcements wait for the outer commit.
  const outer = open.getStore();
  if (outer) return work(outer.scope);

  let stored: WireNotification[] = [];
  let steps: Step[] = [];
  let turn: EmitTurn | undefined;
  const committed = transaction(async (tx) => {
    const state: OpenScope = { pending: [], steps: [], scope: { tx, announce: () => {}, afterCommit: () => {} } };
    state.scope.announce = (channel, event, payload) => {
      state.steps.push(state.pending.length);
      state.pending.push({ channel, event, payload });
    };
    state.scope.afterCommit = (effect) => state.steps.push(effect);
    const value = await open.run(state, () => work(state.scope));
    // Stored last, after the change itself: on PostgreSQL the store serializes announcing
    // transactions from here to the commit (ids must commit in id order), so the lock is short.
    stored = await storeNotifications(tx, state.pending);
    // Before the commit, with the order lock held: no other transaction has drawn later ids yet.
    if (stored.length > 0) turn = takeEmitTurn();
    steps = state.steps;
    return value;
  });
  const result = await committed.catch((error: unknown) => {
    turn?.settle(null);
    throw error;
  });
  const committedAt = performance.now();
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
