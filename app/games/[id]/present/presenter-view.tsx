"use client";
// The presenter screen: the game's live state (use-presenter-state.ts) drawn for a projector, and
// the owner's round controls (the game page's hook) on its buttons and the R key.
import { useCallback, useMemo, useRef, useState } from "react";
import { useHideSiteChrome } from "@/app/components/site-chrome";
import type { SessionUser } from "@/lib/auth/users";
import { useRoundControls } from "../use-round-controls";
import { InviteQr } from "./invite-qr";
import { PresenterRound } from "./presenter-round";
import { RateChart } from "./rate-chart";
import { ScreenHeader } from "./screen-header";
import { TopTen } from "./top-ten";
import { usePresenterState, type PresenterStart } from "./use-presenter-state";
import { useFullScreen, useShortcuts } from "./use-presenter-keys";

type PresenterViewProps = PresenterStart & { me: SessionUser; inviteCode: string | null };

const numberFormat = new Intl.NumberFormat("en");

/** The total, as large as its column allows (container units: long numbers shrink to fit). */
function Total({ total }: { total: number }) {
  return (
    <section aria-labelledby="presenter-total" className="rounded-2xl bg-slate-900 p-[2vh]">
      <h2 id="presenter-total" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
        Total clicks
      </h2>
      <p
        role="status"
        aria-label="Total clicks"
        className="text-[min(17vh,16cqw)] leading-none font-black tabular-nums"
      >
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
  const roundId = state.round?.id ?? null;
  // The hook's callbacks are stable, so the shortcuts below change only with the round.
  const { start: startRound, end: endRound, pending, error } = useRoundControls(game.id);
  const [seconds, setSeconds] = useState(60);
  const start = useCallback(() => startRound(seconds), [startRound, seconds]);
  const end = useCallback(() => {
    if (roundId !== null) endRound(roundId);
  }, [endRound, roundId]);
  const screen = useRef<HTMLDivElement>(null);
  const { fullScreen, toggle } = useFullScreen(screen);
  const shortcuts = useMemo(
    () => ({ f: toggle, r: isOwner && !running ? start : undefined }),
    [toggle, isOwner, running, start],
  );
  useShortcuts(shortcuts);

  return (
    <div
      ref={screen}
      className="fixed inset-0 z-50 flex flex-col gap-[2vh] overflow-y-auto bg-slate-950 px-[2.5vw] py-[2.5vh] text-white md:overflow-hidden"
    >
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
          <PresenterRound
            round={state.round}
            leaders={roundLeaders}
            clockOffset={clockOffset}
            isOwner={isOwner}
            seconds={seconds}
            onSeconds={setSeconds}
            onStart={start}
            onEnd={end}
            pending={pending !== null}
            error={error}
          />
        </div>
        <TopTen members={state.members} />
        <div className="flex min-h-0 flex-col gap-[2vh]">
          <InviteQr gameId={game.id} inviteCode={inviteCode} isOwner={isOwner} />
          <section aria-labelledby="here-heading" className="rounded-2xl bg-slate-900 p-[2vh] text-center">
            <h2 id="here-heading" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
              Players here
            </h2>
            <p
              role="status"
              aria-label="Players here"
              className="text-[9vh] leading-none font-black tabular-nums text-sky-300"
            >
              {numberFormat.format(state.presence.count)}
            </p>
          </section>
        </div>
      </div>
      <p className="text-[1.8vh] text-slate-400">Keys: F full screen{isOwner ? " · R start a round" : ""}</p>
    </div>
  );
}
