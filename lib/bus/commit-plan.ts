// What a transaction announced, planned for its commit: what is stored with it, what waits for its
// channel's window (conflation.ts), and the steps run after the commit in the order announced.
import type { Conflation } from "./conflated-event";
import { opensWindow } from "./conflation";
import { localSockets } from "./io";
import type { NewNotification } from "./store";

/** A conflated announcement of one channel and event, merged over the transaction. */
export type Conflated = { channel: string; event: string; payload: unknown; conflation: Conflation };

/** What the work announced, in order: a notification, a conflated one, or an effect. */
export type Announced = { notification: NewNotification } | { conflated: Conflated } | (() => void);

/** One after-commit step: an emit (by its index among the stored notifications) or an effect. */
export type Step = number | (() => void);

/**
 * Splits what was announced into what is stored now (in order, conflated ones that open their
 * window among them), what waits for its window to close, and the after-commit steps.
 */
export function planCommit(announced: readonly Announced[]): {
  pending: NewNotification[];
  deferred: Conflated[];
  steps: Step[];
} {
  const pending: NewNotification[] = [];
  const deferred: Conflated[] = [];
  const steps: Step[] = [];
  for (const item of announced) {
    if (typeof item === "function") steps.push(item);
    else if ("notification" in item) steps.push(pending.push(item.notification) - 1);
    else {
      const { channel, event, payload, conflation } = item.conflated;
      if (opensWindow(channel, event, conflation, localSockets(channel)))
        steps.push(pending.push({ channel, event, payload }) - 1);
      else deferred.push(item.conflated);
    }
  }
  return { pending, deferred, steps };
}
