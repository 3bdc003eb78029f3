"use client";
// The big click button: counts at once, queues clicks into batches for addClicksAction at the
// pace its answers ask for, and keeps them through offline spells (the queue retries with the
// same batchId). The action's answer confirms a batch; the game's tally only moves the total.
import { useEffect, useRef, useState } from "react";
import { addClicksAction } from "@/app/actions/games";
import { ClickQueue, type SendOutcome } from "@/lib/games/client/click-queue";
import { pendingClicksMessage, shownPace } from "@/lib/games/client/pending-clicks";
import { roomStartWindowMs } from "@/lib/games/client/room-start";
import { useBusStatus } from "@/lib/bus/client/hooks";
import { nextMilestone } from "@/lib/games/milestones";

/** `players`: who is here now (presence); `clickBudget`: the node's batches a second at render. */
type ClickPadProps = { gameId: number; total: number; disabled: boolean; players: number; clickBudget: number };

const numberFormat = new Intl.NumberFormat("en");

export function ClickPad({ gameId, total, disabled, players, clickBudget }: ClickPadProps) {
  const [unconfirmed, setUnconfirmed] = useState(0);
  const [refusal, setRefusal] = useState<string | null>(null);
  // The action's answer can arrive before the tally that includes the same batch.
  const [confirmedTotal, setConfirmedTotal] = useState(0);
  const [paceMs, setPaceMs] = useState(0);
  const status = useBusStatus();
  // The queue lives as long as the effect that stops it: React's dev Strict Mode runs every
  // effect's cleanup once on mount, and a queue created with the component (and stopped by that
  // cleanup) dropped every click in `npm run dev`.
  const queueRef = useRef<ClickQueue | null>(null);
  // Read when a start from idle is spread: the room's size then, not when the queue was made.
  const startWindowRef = useRef(0);
  useEffect(() => {
    startWindowRef.current = roomStartWindowMs(players, clickBudget);
  }, [players, clickBudget]);
  useEffect(() => {
    const queue = new ClickQueue(
      async (batch): Promise<SendOutcome> => {
        const result = await addClicksAction({ gameId, ...batch });
        if (result.ok) return { ok: true, total: result.value.total, paceMs: result.value.paceMs };
        return {
          ok: false,
          retry: result.error === "rate_limited" || result.error === "internal",
          message: result.message,
        };
      },
      {
        onPending: setUnconfirmed,
        onConfirmed: setConfirmedTotal,
        onPace: (pace) => setPaceMs((shown) => shownPace(shown, pace)),
        onRefused: setRefusal,
      },
      () => startWindowRef.current,
    );
    queueRef.current = queue;
    return () => queue.stop();
  }, [gameId]);
  useEffect(() => {
    if (status === "connected") queueRef.current?.flushSoon();
  }, [status]);

  const shown = Math.max(total, confirmedTotal) + unconfirmed;
  const goal = nextMilestone(shown);
  return (
    <section
      aria-labelledby="total-label"
      // What the page tells its queue, readable by load generators that play the page (tests/bench).
      data-click-budget={clickBudget}
      className="rounded-2xl border border-slate-200 bg-white p-6 text-center shadow-sm"
    >
      <p id="total-label" className="text-sm font-medium uppercase tracking-wide text-slate-500">
        Total clicks
      </p>
      <p
        className="my-2 text-5xl font-black tabular-nums text-slate-900 sm:text-6xl"
        role="status"
        aria-live="polite"
        aria-label="Total clicks"
      >
        {numberFormat.format(shown)}
      </p>
      <p className="mb-5 text-sm text-slate-500">Next milestone: {numberFormat.format(goal)}</p>
      <button
        type="button"
        disabled={disabled}
        onClick={() => {
          setRefusal(null);
          queueRef.current?.add(1);
        }}
        className="h-40 w-40 rounded-full bg-gradient-to-br from-indigo-500 to-fuchsia-500 text-2xl font-extrabold text-white shadow-lg transition select-none hover:brightness-110 focus-visible:outline-4 focus-visible:outline-offset-4 focus-visible:outline-indigo-600 active:scale-95 disabled:cursor-not-allowed disabled:from-slate-400 disabled:to-slate-400 sm:h-48 sm:w-48"
      >
        Click!
      </button>
      <p className="mt-4 min-h-5 text-sm text-slate-600" aria-live="polite">
        {pendingClicksMessage(unconfirmed, status === "connected", paceMs)}
      </p>
      {refusal ? (
        <p role="alert" className="text-sm font-medium text-rose-600">
          {refusal}
        </p>
      ) : null}
    </section>
  );
}
