// The game page's live state as a pure reducer over bus notifications, so the page and its
// tests agree on what each event means.
import type { NotificationOf } from "@/lib/bus/events";
import { applyPresence, EMPTY_PRESENCE, type PresenceState } from "@/lib/bus/presence-state";
import type { GameChannel, PodiumEntry, TallyEntry } from "@/lib/games/channels";
import type { MemberView } from "../games";
import type { RoundView } from "../rounds";

/** The latest round the page knows of: running while `podium` is null. */
export type RoundState = { id: number; endsAt: string; podium: PodiumEntry[] | null };

/** The page's round from the server render: the newest round, if any. */
export function roundStateOf(latest: RoundView | undefined): RoundState | null {
  return latest
    ? { id: latest.id, endsAt: latest.endsAt, podium: latest.endedAt === null ? null : latest.podium }
    : null;
}

export type GameEnd = "removed" | "left" | "deleted" | "signed_out";

export type GameState = {
  name: string;
  total: number;
  members: MemberView[];
  /** Who is here: the whole count, and the names this page knows (all of them in a small room). */
  presence: PresenceState;
  /** The latest milestone reached while the page was open (for the celebration). */
  milestone: { value: number; by: string; key: number } | null;
  ended: GameEnd | null;
  round: RoundState | null;
};

/** One notification, or several at once (the presenter screen applies bursts in one render). */
export type GameAction =
  | { type: "notification"; notification: NotificationOf<GameChannel> }
  | { type: "notifications"; notifications: NotificationOf<GameChannel>[] };

function byContribution(members: MemberView[]): MemberView[] {
  return [...members].sort((a, b) => b.clicks - a.clicks || a.username.localeCompare(b.username));
}

/**
 * Members with the tally's counts: absolute, so the larger one wins and a tally replayed or
 * applied out of order changes nothing. A listed player the page does not know (their
 * member_left came first, inside the tally's window) is not added back.
 */
function withContributions(members: MemberView[], contributions: readonly TallyEntry[]): MemberView[] {
  if (contributions.length === 0) return members;
  const counts = new Map(contributions.map((entry) => [entry.id, entry.clicks]));
  return byContribution(
    members.map((member) => {
      const clicks = counts.get(member.id);
      return clicks === undefined || clicks <= member.clicks ? member : { ...member, clicks };
    }),
  );
}

function applyNotification(state: GameState, notification: NotificationOf<GameChannel>): GameState {
  switch (notification.event) {
    case "tally": {
      const { total, contributions } = notification.payload;
      return {
        ...state,
        total: Math.max(state.total, total),
        members: withContributions(state.members, contributions),
      };
    }
    case "member_joined": {
      const { member, role } = notification.payload;
      if (state.members.some((existing) => existing.id === member.id)) return state;
      return { ...state, members: byContribution([...state.members, { ...member, role, clicks: 0 }]) };
    }
    case "member_left":
      return { ...state, members: state.members.filter((member) => member.id !== notification.payload.member.id) };
    case "renamed":
      return { ...state, name: notification.payload.name };
    case "milestone":
      return {
        ...state,
        milestone: {
          value: notification.payload.value,
          by: notification.payload.by.username,
          key: notification.id ?? Date.now(),
        },
      };
    case "deleted":
      return { ...state, ended: "deleted" };
    case "presence":
      return { ...state, presence: applyPresence(state.presence, notification.payload) };
    case "round_started":
      return { ...state, round: { id: notification.payload.id, endsAt: notification.payload.endsAt, podium: null } };
    case "round_ended": {
      const { id, podium } = notification.payload;
      // A replayed end of a round the page never saw start ended when it was announced.
      const endsAt = state.round?.id === id ? state.round.endsAt : notification.at;
      return { ...state, round: { id, endsAt, podium } };
    }
    case "activity":
    case "invite_link_changed":
      return state;
  }
}

/** The page's state from its server render, before any notification. */
export function initialGameState(
  game: { name: string; total: number; members: MemberView[] },
  latestRound: RoundView | undefined,
): GameState {
  return {
    name: game.name,
    total: game.total,
    members: game.members,
    presence: EMPTY_PRESENCE,
    milestone: null,
    ended: null,
    round: roundStateOf(latestRound),
  };
}

export function gameReducer(state: GameState, action: GameAction): GameState {
  const notifications = action.type === "notification" ? [action.notification] : action.notifications;
  let next = state;
  for (const notification of notifications) if (!next.ended) next = applyNotification(next, notification);
  return next;
}
