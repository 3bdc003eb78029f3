"use client";
// The presenter screen's live state: the game's channel (the game page's events and reducer,
// watched without joining presence), the clicks-per-second series and the running round's
// standings. Notifications are applied once per animation frame, so a room of a thousand tapping
// players costs at most one render a frame (tallies come ten a second).
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useReducer, useState } from "react";
import type { PodiumEntry } from "@/lib/games/channels";
import { gameChannel, type GameChannel } from "@/lib/games/channels";
import type { NotificationOf } from "@/lib/bus/events";
import { useFrameBatch } from "@/lib/bus/client/frame-batch";
import { useBusChannel } from "@/lib/bus/client/hooks";
import { useServerClockOffset } from "@/lib/games/client/countdown";
import { gameReducer, initialGameState } from "@/lib/games/client/game-state";
import { perSecond, withTotal, type TotalRate } from "@/lib/games/client/rate-window";
import { emptyTally, leaders, seededTally, withRoundScores, type RoundTally } from "@/lib/games/client/round-tally";
import type { GameDetails } from "@/lib/games/games";
import type { RoundView } from "@/lib/games/rounds";

/** What the server render hands the screen to start from. */
export type PresenterStart = {
  game: GameDetails;
  since: number;
  latestRound: RoundView | undefined;
  serverNow: number;
  recentClicks: Array<[number, number]>;
  /** Scores so far in the running round (empty when none runs). */
  roundScores: PodiumEntry[];
};

/** The chart moves by whole seconds; its clock ticks a few times a second so the move is on time. */
const CLOCK_TICK_MS = 250;

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
  return batch.reduce(
    (next, n) => (n.event === "tally" ? withTotal(next, n.payload.total, Date.parse(n.at), serverTime) : next),
    rate,
  );
}

export function usePresenterState({ game, since, latestRound, serverNow, recentClicks, roundScores }: PresenterStart) {
  const router = useRouter();
  const clockOffset = useServerClockOffset(serverNow);
  const [state, dispatch] = useReducer(gameReducer, null, () => initialGameState(game, latestRound));
  const [rate, setRate] = useState<TotalRate>(() => ({ counts: new Map(recentClicks), total: game.total }));
  const [tally, setTally] = useState(() =>
    latestRound && latestRound.endedAt === null ? seededTally(latestRound.id, latestRound.endsAt, roundScores) : null,
  );
  const [now, setNow] = useState(serverNow);
  const applyFrame = useFrameBatch((batch: NotificationOf<GameChannel>[]) => {
    const serverTime = Date.now() + clockOffset;
    dispatch({ type: "notifications", notifications: batch });
    setTally((current) => tallied(current, batch));
    setRate((current) => rated(current, batch, serverTime));
    if (batch.some((n) => n.event === "invite_link_changed")) router.refresh();
  });
  const status = useBusChannel(gameChannel(game.id), applyFrame, {
    since,
    presence: false,
    onReset: () => router.refresh(),
  });

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
