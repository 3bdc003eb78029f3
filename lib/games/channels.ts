// The game's channels and their events, as the browser and the server both see them: `game:<id>`
// (members only), `lobby` (every signed-in user), and the game's events on each user's channel.
// Names and types only, so client components can import it; who may join is in channel-kinds.ts.
import type { PresenceEvents } from "@/lib/bus/events";

/** A player as the game's events name one (the bus's presence entries may have any id; ours are numbers). */
export type PlayerRef = { id: number; username: string };

/** One place on a round's podium (the top three of the round). */
export type PodiumEntry = { userId: number; username: string; clicks: number };

export type GameChannel = `game:${number}`;
export type LobbyChannel = "lobby";
export const gameChannel = (gameId: number): GameChannel => `game:${gameId}`;
export const LOBBY_CHANNEL: LobbyChannel = "lobby";

/** One player's whole count so far (not the window's increase): applying it twice changes nothing. */
export type TallyEntry = { id: number; username: string; clicks: number };

/**
 * The game's clicks, conflated (lib/bus/conflation.ts): one `tally` per window of commits, with
 * the total and only the players whose count changed in it; `round` while a round runs, with
 * their scores in it likewise.
 */
export type TallyPayload = {
  total: number;
  contributions: TallyEntry[];
  round?: { id: number; contributions: TallyEntry[] };
};

export type GameEvents = PresenceEvents & {
  tally: TallyPayload;
  member_joined: { member: PlayerRef; role: "owner" | "player" };
  member_left: { member: PlayerRef; reason: "left" | "removed" };
  renamed: { name: string };
  milestone: { value: number; by: PlayerRef };
  deleted: Record<string, never>;
  /** A bare signal: "the activity feed changed, re-render" (the seed's refetch pattern). */
  activity: Record<string, never>;
  invite_link_changed: Record<string, never>;
  /** Timed rounds (lib/games/rounds.ts): `endsAt` is an ISO time; the podium is the top three. */
  round_started: { id: number; endsAt: string };
  round_ended: { id: number; podium: PodiumEntry[] };
};

export type LobbyEvents = {
  stats: { games: number; playersOnline: number; clicksPerSecond: number };
};

declare module "@/lib/bus/events" {
  interface ChannelTypes {
    game: { channel: GameChannel; events: GameEvents };
    lobby: { channel: LobbyChannel; events: LobbyEvents };
  }
}

declare module "@/lib/realtime/user-channel" {
  interface UserEvents {
    game_added: { gameId: number; name: string; total: number };
    game_removed: { gameId: number; reason: "removed" | "left" | "deleted" };
  }
}
