"use client";
// The presenter screen: the game's channel (the game page's events and reducer, watched without
// joining presence) drawn for a projector. Bursts of notifications are applied a few times a
// second, so a room of fifty clicking players costs a few renders, not hundreds.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, useTransition } from "react";
import { endRoundAction, startRoundAction } from "@/app/actions/rounds";
import { useHideSiteChrome } from "@/app/components/site-chrome";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel, type GameChannel } from "@/lib/games/channels";
import type { NotificationOf } from "@/lib/bus/events";
import { useBusChannel, useBusStatus } from "@/lib/bus/client/hooks";
import { useServerClockOffset } from "@/lib/games/client/countdown";
import { gameReducer, roundStateOf } from "@/lib/games/client/game-state";
import { perSecond, withClicks, type RateCounts } from "@/lib/games/client/rate-window";
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
};

const FLUSH_EVERY_MS = 250;
const numberFormat = new Intl.NumberFormat("en");

/** The game's notifications, queued as they come and applied every FLUSH_EVERY_MS. */
function usePresenterState({ game, since, latestRound, serverNow, recentClicks }: PresenterViewProps) {
  const router = useRouter();
  const clockOffset = useServerClockOffset(serverNow);
  const initial = { name: game.name, total: game.total, members: game.members, players: [], milestone: null, ended: null, round: roundStateOf(latestRound) };
  const [state, dispatch] = useReducer(gameReducer, initial);
  const [rates, setRates] = useState<RateCounts>(() => new Map(recentClicks));
  const [now, setNow] = useState(serverNow);
  const queue = useRef<NotificationOf<GameChannel>[]>([]);
  const status = useBusChannel(gameChannel(game.id), (notification) => void queue.current.push(notification), { since, presence: false, onReset: () => router.refresh() });

  useEffect(() => {
    const flush = () => {
      const serverTime = Date.now() + clockOffset;
      setNow(serverTime);
      const batch = queue.current.splice(0);
      if (batch.length === 0) return;
      dispatch({ type: "notifications", notifications: batch });
      setRates((counts) => batch.reduce((next, n) => (n.event === "clicks" ? withClicks(next, Date.parse(n.at), n.payload.count, serverTime) : next), counts));
      if (batch.some((n) => n.event === "invite_link_changed")) router.refresh();
    };
    const timer = setInterval(flush, FLUSH_EVERY_MS);
    return () => clearInterval(timer);
  }, [clockOffset, router]);

  const series = useMemo(() => perSecond(rates, now), [rates, now]);
  return { state, series, clockOffset, revoked: status.state === "revoked" };
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
    <header className="flex items-center gap-[2vw]">
      <h1 className="min-w-0 flex-1 truncate text-[5vh] font-black tracking-tight">{name}</h1>
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
  const { state, series, clockOffset, revoked } = usePresenterState(props);
  const isOwner = game.ownerId === me.id;
  const running = state.round !== null && state.round.podium === null;
  const rounds = useRoundControls(game.id, state.round?.id ?? null);
  const screen = useRef<HTMLDivElement>(null);
  const { fullScreen, toggle } = useFullScreen(screen);
  const shortcuts = useMemo(() => ({ f: toggle, r: isOwner && !running ? rounds.start : undefined }), [toggle, isOwner, running, rounds.start]);
  useShortcuts(shortcuts);

  return (
    <div ref={screen} className="fixed inset-0 z-50 flex flex-col gap-[2vh] overflow-hidden bg-slate-950 px-[2.5vw] py-[2.5vh] text-white">
      <ScreenHeader name={state.name} gameId={game.id} fullScreen={fullScreen} onFullScreen={toggle} />
      {revoked || state.ended ? (
        <p role="alert" className="rounded-xl bg-rose-900 p-[2vh] text-[3vh] font-bold">
          This game is over for this screen (it was deleted, or you left it).
        </p>
      ) : null}
      <div className="grid min-h-0 flex-1 grid-cols-[1.3fr_1fr_0.8fr] gap-[2vw]">
        <div className="@container flex min-h-0 flex-col gap-[2vh]">
          <Total total={state.total} />
          <RateChart series={series} />
          <PresenterRound round={state.round} clockOffset={clockOffset} isOwner={isOwner} seconds={rounds.seconds} onSeconds={rounds.setSeconds} onStart={rounds.start} onEnd={rounds.end} pending={rounds.pending} error={rounds.error} />
        </div>
        <TopTen members={state.members} />
        <div className="flex min-h-0 flex-col gap-[2vh]">
          <InviteQr gameId={game.id} inviteCode={inviteCode} isOwner={isOwner} />
          <section aria-labelledby="here-heading" className="rounded-2xl bg-slate-900 p-[2vh] text-center">
            <h2 id="here-heading" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
              Players here
            </h2>
            <p role="status" aria-label="Players here" className="text-[9vh] leading-none font-black tabular-nums text-sky-300">
              {state.players.length}
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
