"use client";
// The presenter screen: the game's channel (the game page's events and reducer, watched without
// joining presence) drawn for a projector. Notifications are applied once per animation frame, so
// a room of a thousand tapping players costs at most one render a frame (tallies come ten a second).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, useTransition } from "react";
import { endRoundAction, startRoundAction } from "@/app/actions/rounds";
import { useHideSiteChrome } from "@/app/components/site-chrome";
import type { PodiumEntry } from "@/lib/games/channels";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel, type GameChannel } from "@/lib/games/channels";
import type { NotificationOf } from "@/lib/bus/events";
import { useFrameBatch } from "@/lib/bus/client/frame-batch";
import { useBusChannel, useBusStatus } from "@/lib/bus/client/hooks";
import { useServerClockOffset } from "@/lib/games/client/countdown";
import { gameReducer, initialGameState } from "@/lib/games/client/game-state";
import { perSecond, withTotal, type TotalRate } from "@/lib/games/client/rate-window";
import { emptyTally, leaders, seededTally, withRoundScores, type RoundTally } from "@/lib/games/client/round-tally";
import type { GameDetails } from "@/lib/games/games";
import type { RoundView } from "@/lib/games/rounds";
import { InviteQr } from "./invite-qr";
import { PresenterRound } from "./presenter-round";
import { RateChart } from "./rate-chart";
import { TopTen } from "./top-ten";
import { useFullScreen, useShortcuts } from "./use-presenter-keys";

type PresenterViewProps = {
  me: SessionUser;
  game: GameDetails;
  since: number;
  inviteCode: string | null;
  latestRound: RoundView | undefined;
  serverNow: number;
  recentClicks: Array<[number, number]>;
  /** Scores so far in the running round (empty when none runs). */
  roundScores: PodiumEntry[];
};

/** The chart moves by whole seconds; its clock ticks a few times a second so the move is on time. */
const CLOCK_TICK_MS = 250;
const numberFormat = new Intl.NumberFormat("en");

/** Applies one frame's notifications to the running round's live standings. */
function tallied(tally: RoundTally | null, batch: NotificationOf<GameChannel>[]): RoundTally | null {
  let next = tally;
  for (const n of batch) {
    if (n.event === "round_started") next = emptyTally(n.payload.id, n.payload.endsAt);
    else if (n.event === "tally" && next) next = withRoundScores(next, n.payload.round);
  }
  return next;
}

/** The chart's counts after one frame's tallies: each total's rise, at its tally's time. */
function rated(rate: TotalRate, batch: NotificationOf<GameChannel>[], serverTime: number): TotalRate {
  return batch.reduce((next, n) => (n.event === "tally" ? withTotal(next, n.payload.total, Date.parse(n.at), serverTime) : next), rate);
}

function usePresenterState({ game, since, latestRound, serverNow, recentClicks, roundScores }: PresenterViewProps) {
  const router = useRouter();
  const clockOffset = useServerClockOffset(serverNow);
  const [state, dispatch] = useReducer(gameReducer, null, () => initialGameState(game, latestRound));
  const [rate, setRate] = useState<TotalRate>(() => ({ counts: new Map(recentClicks), total: game.total }));
  const [tally, setTally] = useState(() => (latestRound && latestRound.endedAt === null ? seededTally(latestRound.id, latestRound.endsAt, roundScores) : null));
  const [now, setNow] = useState(serverNow);
  const applyFrame = useFrameBatch((batch: NotificationOf<GameChannel>[]) => {
    const serverTime = Date.now() + clockOffset;
    dispatch({ type: "notifications", notifications: batch });
    setTally((current) => tallied(current, batch));
    setRate((current) => rated(current, batch, serverTime));
    if (batch.some((n) => n.event === "invite_link_changed")) router.refresh();
  });
  const status = useBusChannel(gameChannel(game.id), applyFrame, { since, presence: false, onReset: () => router.refresh() });

  useEffect(() => {
    const tick = () => setNow(Math.floor((Date.now() + clockOffset) / 1000) * 1000);
    const timer = setInterval(tick, CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, [clockOffset]);

  // `now` is floored to the second, so the series (and the chart) changes once a second at most.
  const series = useMemo(() => perSecond(rate.counts, now), [rate.counts, now]);
  const roundLeaders = useMemo(() => (tally ? leaders(tally) : []), [tally]);
  return { state, series, clockOffset, roundLeaders, revoked: status.state === "revoked" };
}

/** Starting and ending rounds from the screen's buttons and the R key. */
function useRoundControls(gameId: number, roundId: number | null) {
  const [seconds, setSeconds] = useState(60);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    (work: () => Promise<{ ok: boolean; message?: string }>) =>
      startTransition(async () => {
        const result = await work();
        setError(result.ok ? null : (result.message ?? "That did not work."));
      }),
    [],
  );
  const start = useCallback(() => run(() => startRoundAction(gameId, seconds)), [run, gameId, seconds]);
  const end = useCallback(() => run(() => endRoundAction(gameId, roundId)), [run, gameId, roundId]);
  return { seconds, setSeconds, pending, error, start, end };
}

function ScreenHeader({ name, gameId, fullScreen, onFullScreen }: { name: string; gameId: number; fullScreen: boolean; onFullScreen: () => void }) {
  const busStatus = useBusStatus();
  return (
    <header className="flex flex-wrap items-center gap-[2vw]">
      <h1 className="w-full min-w-0 truncate text-[5vh] font-black tracking-tight md:w-auto md:flex-1">{name}</h1>
      <p role="status" aria-label={`Connection: ${busStatus}`} className={`text-[2.2vh] font-semibold ${busStatus === "connected" ? "text-emerald-300" : "text-amber-300"}`}>
        {busStatus === "connected" ? "● Live" : "● Reconnecting…"}
      </p>
      <button type="button" onClick={onFullScreen} aria-keyshortcuts="F" className="rounded-xl border-2 border-slate-500 px-[1.2vw] py-[0.8vh] text-[2.2vh] font-semibold hover:bg-slate-800">
        {fullScreen ? "Exit full screen" : "Full screen"}
      </button>
      <Link href={`/games/${gameId}`} className="text-[2.2vh] text-slate-300 underline">
        Back to the game
      </Link>
    </header>
  );
}

/** The total, as large as its column allows (container units: long numbers shrink to fit). */
function Total({ total }: { total: number }) {
  return (
    <section aria-labelledby="presenter-total" className="rounded-2xl bg-slate-900 p-[2vh]">
      <h2 id="presenter-total" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
        Total clicks
      </h2>
      <p role="status" aria-label="Total clicks" className="text-[min(17vh,16cqw)] leading-none font-black tabular-nums">
        {numberFormat.format(total)}
      </p>
    </section>
  );
}

export function PresenterView(props: PresenterViewProps) {
  const { me, game, inviteCode } = props;
  useHideSiteChrome();
  const { state, series, clockOffset, roundLeaders, revoked } = usePresenterState(props);
  const isOwner = game.ownerId === me.id;
  const running = state.round !== null && state.round.podium === null;
  const rounds = useRoundControls(game.id, state.round?.id ?? null);
  const screen = useRef<HTMLDivElement>(null);
  const { fullScreen, toggle } = useFullScreen(screen);
  const shortcuts = useMemo(() => ({ f: toggle, r: isOwner && !running ? rounds.start : undefined }), [toggle, isOwner, running, rounds.start]);
  useShortcuts(shortcuts);

  return (
    <div ref={screen} className="fixed inset-0 z-50 flex flex-col gap-[2vh] overflow-y-auto bg-slate-950 px-[2.5vw] py-[2.5vh] text-white md:overflow-hidden">
      <ScreenHeader name={state.name} gameId={game.id} fullScreen={fullScreen} onFullScreen={toggle} />
      {revoked || state.ended ? (
        <p role="alert" className="rounded-xl bg-rose-900 p-[2vh] text-[3vh] font-bold">
          This game is over for this screen (it was deleted, or you left it).
        </p>
      ) : null}
      {/* Three columns on a projector; stacked (and scrolling) on a phone someone opened it on. */}
      <div className="grid grid-cols-1 gap-[2vh] md:min-h-0 md:flex-1 md:grid-cols-[1.3fr_1fr_0.8fr] md:gap-[2vw]">
        <div className="@container flex min-h-0 flex-col gap-[2vh]">
          <Total total={state.total} />
          <RateChart series={series} />
          <PresenterRound round={state.round} leaders={roundLeaders} clockOffset={clockOffset} isOwner={isOwner} seconds={rounds.seconds} onSeconds={rounds.setSeconds} onStart={rounds.start} onEnd={rounds.end} pending={rounds.pending} error={rounds.error} />
        </div>
        <TopTen members={state.members} />
        <div className="flex min-h-0 flex-col gap-[2vh]">
          <InviteQr gameId={game.id} inviteCode={inviteCode} isOwner={isOwner} />
          <section aria-labelledby="here-heading" className="rounded-2xl bg-slate-900 p-[2vh] text-center">
            <h2 id="here-heading" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
              Players here
            </h2>
            <p role="status" aria-label="Players here" className="text-[9vh] leading-none font-black tabular-nums text-sky-300">
              {numberFormat.format(state.presence.count)}
            </p>
          </section>
        </div>
      </div>
      <p className="text-[1.8vh] text-slate-400">
        Keys: F full screen{isOwner ? " · R start a round" : ""}
      </p>
    </div>
  );
}
