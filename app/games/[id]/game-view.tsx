"use client";
// The live game: state from the server render, then every notification of `game:<id>` applied
// through gameReducer, a frame's worth at a time; the activity feed re-renders on the bare
// `activity` signal.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useReducer, useRef } from "react";
import { gameChannel, type GameChannel } from "@/lib/games/channels";
import type { NotificationOf } from "@/lib/bus/events";
import { useFrameBatch } from "@/lib/bus/client/frame-batch";
import { useBusChannel } from "@/lib/bus/client/hooks";
import type { SessionUser } from "@/lib/auth/users";
import type { ActivityEntry } from "@/lib/games/activity";
import { useServerClockOffset } from "@/lib/games/client/countdown";
import { gameReducer, initialGameState, type GameEnd } from "@/lib/games/client/game-state";
import type { RoundView } from "@/lib/games/rounds";
import type { GameDetails } from "@/lib/games/games";
import { ConnectionBadge } from "@/app/components/connection-badge";
import { ActivityFeed } from "./activity-feed";
import { BusLog, useBusLog } from "./bus-log";
import { ClickPad } from "./click-pad";
import { Leaderboard } from "./leaderboard";
import { Milestone } from "./milestone";
import { OwnerControls } from "./owner-controls";
import { PresenceList } from "./presence-list";
import { RoundPanel } from "./round-panel";

type GameViewProps = {
  me: SessionUser;
  game: GameDetails;
  since: number;
  inviteCode: string | null;
  activity: ActivityEntry[];
  /** Newest first; the first one is the page's current round. */
  rounds: RoundView[];
  serverNow: number;
  /** The node's click batches a second when the page was rendered. */
  clickBudget: number;
};

const endMessages: Record<GameEnd, string> = {
  removed: "You were removed from this game.",
  left: "You left this game.",
  deleted: "This game was deleted by its owner.",
  signed_out: "You were signed out.",
};

export function GameView({ me, game, since, inviteCode, activity, rounds, serverNow, clickBudget }: GameViewProps) {
  const router = useRouter();
  const [state, dispatch] = useReducer(gameReducer, null, () => initialGameState(game, rounds[0]));
  const clockOffset = useServerClockOffset(serverNow);
  const [log, record] = useBusLog();
  // However fast a big room's notifications come, the page (bus log included) renders once a frame.
  const applyFrame = useFrameBatch((notifications: NotificationOf<GameChannel>[]) => {
    record(notifications);
    dispatch({ type: "notifications", notifications });
  });
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshSoon = useCallback(() => {
    refreshTimer.current ??= setTimeout(() => {
      refreshTimer.current = null;
      router.refresh();
    }, 200);
  }, [router]);

  const channel = gameChannel(game.id);
  const status = useBusChannel(
    channel,
    (notification) => {
      applyFrame(notification);
      if (
        notification.event === "activity" ||
        notification.event === "invite_link_changed" ||
        notification.event === "round_ended"
      )
        refreshSoon();
    },
    { since, onReset: refreshSoon },
  );
  const ended: GameEnd | null = state.ended ?? (status.state === "revoked" ? (status.reason ?? "removed") : null);
  const isOwner = game.ownerId === me.id;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{state.name}</h1>
        <div className="flex items-center gap-3">
          {isOwner && !ended ? (
            <Link
              href={`/games/${game.id}/present`}
              className="rounded-lg border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-100"
            >
              Presenter screen
            </Link>
          ) : null}
          <ConnectionBadge />
        </div>
      </div>
      {ended ? (
        <div role="alert" className="rounded-xl border border-rose-200 bg-rose-50 p-4 text-rose-800">
          <p className="font-semibold">{endMessages[ended]}</p>
          <p className="text-sm">
            This page no longer updates.{" "}
            <Link className="underline" href="/">
              Back to the lobby
            </Link>
          </p>
        </div>
      ) : null}
      <Milestone milestone={state.milestone} />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="space-y-6">
          <ClickPad
            gameId={game.id}
            total={state.total}
            disabled={ended !== null}
            players={state.presence.count}
            clickBudget={clickBudget}
          />
          {/* Right under the button, so that a phone shows the countdown while its player clicks. */}
          <RoundPanel
            gameId={game.id}
            round={state.round}
            history={rounds}
            isOwner={isOwner}
            disabled={ended !== null}
            clockOffset={clockOffset}
          />
          <ActivityFeed entries={activity} />
          <BusLog entries={log} />
        </div>
        <aside className="space-y-6" aria-label="Players">
          <PresenceList presence={state.presence} />
          <Leaderboard
            gameId={game.id}
            me={me}
            ownerId={game.ownerId}
            members={state.members}
            disabled={ended !== null}
          />
          {isOwner && !ended ? <OwnerControls gameId={game.id} name={state.name} inviteCode={inviteCode} /> : null}
        </aside>
      </div>
    </div>
  );
}
