"use client";
// The game page's round: the countdown while one runs, the podium when it ended, the owner's
// start and end-early controls, and the history of past rounds.
import { useState } from "react";
import { Podium } from "@/app/components/podium";
import { formatSeconds, useSecondsLeft } from "@/lib/games/client/countdown";
import type { RoundState } from "@/lib/games/client/game-state";
import type { RoundView } from "@/lib/games/rounds";
import { MAX_ROUND_SECONDS, MIN_ROUND_SECONDS } from "@/lib/games/schemas";
import { useRoundControls, type RoundControls } from "./use-round-controls";

type RoundPanelProps = {
  gameId: number;
  round: RoundState | null;
  history: RoundView[];
  isOwner: boolean;
  disabled: boolean;
  clockOffset: number;
};

function RoundError({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="text-sm text-rose-600">
      {error}
    </p>
  ) : null;
}

function StartRound({ controls, disabled }: { controls: RoundControls; disabled: boolean }) {
  const [seconds, setSeconds] = useState("60");
  return (
    <form
      aria-label="Start a round"
      className="space-y-1"
      onSubmit={(event) => {
        event.preventDefault();
        controls.start(Number(seconds));
      }}
    >
      <label htmlFor="round-seconds" className="block text-sm font-medium">
        Round length (seconds)
      </label>
      <div className="flex gap-2">
        <input
          id="round-seconds"
          type="number"
          inputMode="numeric"
          min={MIN_ROUND_SECONDS}
          max={MAX_ROUND_SECONDS}
          required
          value={seconds}
          onChange={(event) => setSeconds(event.target.value)}
          className="w-24 rounded border border-slate-300 px-2 py-1"
        />
        <button
          type="submit"
          disabled={controls.pending !== null || disabled}
          className="rounded-lg bg-indigo-600 px-3 py-1 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          {controls.pending === "start" ? "Starting…" : "Start round"}
        </button>
      </div>
      <RoundError error={controls.error} />
    </form>
  );
}

function Running({
  round,
  controls,
  clockOffset,
}: {
  round: RoundState;
  /** The owner's controls; null for everyone else. */
  controls: RoundControls | null;
  clockOffset: number;
}) {
  const left = useSecondsLeft(round.endsAt, clockOffset) ?? 0;
  return (
    <div className="space-y-2 text-center">
      <p className="text-sm text-slate-600">{left > 0 ? "Round ends in" : "Time! Counting the clicks…"}</p>
      <p role="timer" aria-label="Round ends in" className="text-4xl font-black tabular-nums text-indigo-700">
        {formatSeconds(left)}
      </p>
      {controls ? (
        <>
          <button
            type="button"
            disabled={controls.pending !== null}
            onClick={() => controls.end(round.id)}
            className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-60"
          >
            End round now
          </button>
          <RoundError error={controls.error} />
        </>
      ) : null}
    </div>
  );
}

function History({ history }: { history: RoundView[] }) {
  const past = history.filter((round) => round.endedAt !== null);
  if (past.length === 0) return null;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer font-medium">Past rounds ({past.length})</summary>
      <ol aria-label="Past rounds" className="mt-2 space-y-1">
        {past.map((round) => (
          <li key={round.id} className="flex gap-2">
            <span className="text-slate-500">
              {new Date(round.startsAt).toLocaleTimeString("en", { hour: "2-digit", minute: "2-digit" })}
            </span>
            <span>
              {round.podium[0]
                ? `${round.podium[0].username} won with ${round.podium[0].clicks.toLocaleString("en")}`
                : "no clicks"}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}

export function RoundPanel({ gameId, round, history, isOwner, disabled, clockOffset }: RoundPanelProps) {
  const running = round !== null && round.podium === null;
  // Held here, not in the running or the start view: a failed end's message outlives the view
  // swap when the round ends meanwhile (by its timer, or from another tab).
  const controls = useRoundControls(gameId);
  return (
    <section
      aria-labelledby="round-heading"
      className="space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h2 id="round-heading" className="font-semibold">
        Round
      </h2>
      {running ? <Running round={round} controls={isOwner ? controls : null} clockOffset={clockOffset} /> : null}
      {round?.podium ? (
        <div className="space-y-1">
          <h3 className="text-sm font-semibold">Last round&apos;s podium</h3>
          <Podium podium={round.podium} />
        </div>
      ) : null}
      {!round && !isOwner ? (
        <p className="text-sm text-slate-600">No round yet: the owner starts one, then the fastest clickers win.</p>
      ) : null}
      {isOwner && !running ? <StartRound controls={controls} disabled={disabled} /> : null}
      <History history={history} />
    </section>
  );
}
