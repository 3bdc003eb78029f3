"use client";
// The presenter's round: a huge countdown while it runs, the podium once it ended, and the
// owner's controls (length, start, end now). The R key starts a round through the same callback.
import { Podium } from "@/app/components/podium";
import type { PodiumEntry } from "@/lib/games/channels";
import { formatSeconds, useSecondsLeft } from "@/lib/games/client/countdown";
import type { RoundState } from "@/lib/games/client/game-state";

export const ROUND_LENGTHS = [30, 60, 120, 300] as const;

type PresenterRoundProps = {
  round: RoundState | null;
  /** The running round's top three so far. */
  leaders: PodiumEntry[];
  clockOffset: number;
  isOwner: boolean;
  seconds: number;
  onSeconds: (seconds: number) => void;
  onStart: () => void;
  onEnd: () => void;
  pending: boolean;
  error: string | null;
};

function OwnerControls({
  running,
  seconds,
  onSeconds,
  onStart,
  onEnd,
  pending,
}: Pick<PresenterRoundProps, "seconds" | "onSeconds" | "onStart" | "onEnd" | "pending"> & { running: boolean }) {
  const button = "rounded-xl px-[1.4vw] py-[1vh] text-[2.4vh] font-bold disabled:opacity-60";
  if (running) {
    return (
      <button
        type="button"
        disabled={pending}
        onClick={onEnd}
        className={`${button} self-start border-2 border-slate-500 text-slate-200 hover:bg-slate-800`}
      >
        End round now
      </button>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-[1vw]">
      <label htmlFor="presenter-seconds" className="text-[2.2vh] text-slate-300">
        Round length
      </label>
      <select
        id="presenter-seconds"
        value={seconds}
        onChange={(event) => onSeconds(Number(event.target.value))}
        className="rounded-lg bg-slate-800 px-[0.8vw] py-[0.6vh] text-[2.2vh] text-white"
      >
        {ROUND_LENGTHS.map((length) => (
          <option key={length} value={length}>
            {length} s
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={pending}
        onClick={onStart}
        aria-keyshortcuts="R"
        className={`${button} bg-emerald-400 text-slate-950 hover:bg-emerald-300`}
      >
        Start round
      </button>
    </div>
  );
}

export function PresenterRound(props: PresenterRoundProps) {
  const { round, clockOffset, isOwner, error } = props;
  const running = round !== null && round.podium === null;
  const left = useSecondsLeft(running ? round.endsAt : null, clockOffset);
  return (
    <section
      aria-labelledby="presenter-round-heading"
      className="flex flex-col gap-[1.2vh] rounded-2xl bg-slate-900 p-[2vh]"
    >
      <h2 id="presenter-round-heading" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
        {running ? "Round ends in" : round ? "Round over: podium" : "Round"}
      </h2>
      {running ? (
        <div className="flex items-center gap-[2vw]">
          <p
            role="timer"
            aria-label="Round ends in"
            className="text-[11vh] leading-none font-black tabular-nums text-amber-300"
          >
            {formatSeconds(left ?? 0)}
          </p>
          <div className="min-w-0 flex-1">
            <Podium podium={props.leaders} tone="compact" label="Leading this round" empty="Click to lead!" />
          </div>
        </div>
      ) : round?.podium ? (
        <Podium podium={round.podium} tone="dark" />
      ) : (
        <p className="text-[2.6vh] text-slate-300">
          Fastest clickers win. {isOwner ? "Press R to start." : "The owner starts it."}
        </p>
      )}
      {isOwner ? <OwnerControls running={running} {...props} /> : null}
      {error ? (
        <p role="alert" className="text-[2.2vh] text-rose-300">
          {error}
        </p>
      ) : null}
    </section>
  );
}
