// The typed map of every event each channel kind carries, shared by server and browser code,
// so a payload typo is a compile error on both sides.
import type { Channel, GameChannel, LobbyChannel, UserChannel } from "./channel-name";

export type PlayerRef = { id: number; username: string };

export type UserEvents = {
  game_added: { gameId: number; name: string; total: number };
  game_removed: { gameId: number; reason: "removed" | "left" | "deleted" };
  session_revoked: Record<string, never>;
};

export type GameEvents = {
  clicks: { total: number; by: PlayerRef; count: number; contribution: number; batchId: string };
  member_joined: { member: PlayerRef; role: "owner" | "player" };
  member_left: { member: PlayerRef; reason: "left" | "removed" };
  renamed: { name: string };
  milestone: { value: number; by: PlayerRef };
  deleted: Record<string, never>;
  /** A bare signal: "the activity feed changed, re-render" (the seed's refetch pattern). */
  activity: Record<string, never>;
  invite_link_changed: Record<string, never>;
  presence: { players: PlayerRef[] };
};

export type LobbyEvents = {
  stats: { games: number; playersOnline: number; clicksPerSecond: number };
};

type KindOf<C extends Channel> = C extends UserChannel ? "user" : C extends GameChannel ? "game" : C extends LobbyChannel ? "lobby" : never;
type EventMaps = { user: UserEvents; game: GameEvents; lobby: LobbyEvents };

export type EventsOf<C extends Channel> = EventMaps[KindOf<C>];
export type EventName<C extends Channel> = keyof EventsOf<C> & string;

/** What travels on the wire as `notification`; `id` is null for volatile events. */
export type WireNotification = { id: number | null; channel: string; event: string; payload: unknown; at: string };

/** A notification of channel C, discriminated by its event name. */
export type NotificationOf<C extends Channel> = {
  [E in EventName<C>]: { id: number | null; channel: C; event: E; payload: EventsOf<C>[E]; at: string };
}[EventName<C>];

export type RevokedMessage = { channel: string; reason: "removed" | "left" | "deleted" | "signed_out" };

export type SubscribeAck = { granted: string[]; denied: string[]; last: number; notifications?: WireNotification[]; more?: true; reset?: true };
export type ErrorAck = { error: BusErrorCode };
export type BusErrorCode = "invalid_payload" | "invalid_channel" | "too_many_channels" | "too_large" | "rate_limited";

export type ServerToClientEvents = {
  notification: (notification: WireNotification) => void;
  revoked: (message: RevokedMessage) => void;
};

/** Payloads from clients are untrusted: they arrive as unknown and are parsed with zod. */
export type ClientToServerEvents = {
  subscribe: (payload: unknown, ack: (answer: SubscribeAck | ErrorAck) => void) => void;
  unsubscribe: (payload: unknown, ack: (answer: { ok: true } | ErrorAck) => void) => void;
};
