// The game page's live state as a pure reducer over bus notifications, so the page and its
// tests agree on what each event means.
import type { NotificationOf } from "@/lib/bus/events";
import type { PlayerRef } from "@/lib/games/channels";
import type { GameChannel } from "@/lib/games/channels";
import type { MemberView } from "../games";

export type GameEnd = "removed" | "left" | "deleted" | "signed_out";

export type GameState = {
  name: string;
  total: number;
  members: MemberView[];
  players: PlayerRef[];
  /** The latest milestone reached while the page was open (for the celebration). */
  milestone: { value: number; by: string; key: number } | null;
  ended: GameEnd | null;
};

export type GameAction = { type: "notification"; notification: NotificationOf<GameChannel> };

function byContribution(members: MemberView[]): MemberView[] {
  return [...members].sort((a, b) => b.clicks - a.clicks || a.username.localeCompare(b.username));
}

function applyNotification(state: GameState, notification: NotificationOf<GameChannel>): GameState {
  switch (notification.event) {
    case "clicks": {
      const { total, by, contribution } = notification.payload;
      const members = state.members.map((member) => (member.id === by.id ? { ...member, clicks: Math.max(member.clicks, contribution) } : member));
      return { ...state, total: Math.max(state.total, total), members: byContribution(members) };
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
      return { ...state, milestone: { value: notification.payload.value, by: notification.payload.by.username, key: notification.id ?? Date.now() } };
    case "deleted":
      return { ...state, ended: "deleted" };
    case "presence":
      return { ...state, players: notification.payload.players };
    case "activity":
    case "invite_link_changed":
      return state;
  }
}

export function gameReducer(state: GameState, action: GameAction): GameState {
  if (state.ended) return state;
  return applyNotification(state, action.notification);
}
