// The wire types of the bus, and the typed map of every channel kind's events. The bus declares
// no kind itself: each domain adds its kinds to `ChannelTypes` (declaration merging), so a
// payload typo is a compile error on the server and in the browser alike.

/** A user as presence shows them. */
import type { BusUserId } from "./bus-user";
export type PresentUser = { id: BusUserId; username: string };

/**
 * One presence message (lib/bus/presence.ts): `count` is always the whole room's; `players` is a
 * snapshot that replaces what the receiver knows (the whole list in a small room, the first names
 * by username in a big one); `joined`/`left` are the changes since the previous message.
 */
export type PresencePayload = { count: number; players?: PresentUser[]; joined?: PresentUser[]; left?: BusUserId[] };

/** The event every kind with presence carries (volatile: `id: null`, never stored). */
export type PresenceEvents = { presence: PresencePayload };

/**
 * Channel kinds by name, each with its channel name type and its events. A domain adds one with
 *
 *   declare module "@/lib/bus/events" {
 *     interface ChannelTypes { note: { channel: `note:${number}`; events: NoteEvents } }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the domains
export interface ChannelTypes {}

type KindName = keyof ChannelTypes;
type ChannelOfKind<K extends KindName> = ChannelTypes[K] extends { channel: infer C extends string } ? C : never;
type EventsOfKind<K extends KindName> = ChannelTypes[K] extends { events: infer E } ? E : never;
type KindOf<C extends string> = { [K in KindName]: C extends ChannelOfKind<K> ? K : never }[KindName];

/** Every typed channel name. */
export type Channel = { [K in KindName]: ChannelOfKind<K> }[KindName];
export type EventsOf<C extends Channel> = EventsOfKind<KindOf<C>>;
export type EventName<C extends Channel> = keyof EventsOf<C> & string;

/** What travels on the wire as `notification`; `id` is null for volatile events. */
export type WireNotification = { id: number | null; channel: string; event: string; payload: unknown; at: string };

/** A notification of channel C, discriminated by its event name. */
export type NotificationOf<C extends Channel> = {
  [E in EventName<C>]: { id: number | null; channel: C; event: E; payload: EventsOf<C>[E]; at: string };
}[EventName<C>];

export type RevokedMessage = { channel: string; reason: "removed" | "left" | "deleted" | "signed_out" };

/**
 * `notifications`: the replay after the request's `last` (present only when `last` was given),
 * oldest first; `more`: subscribe again from `last` for the rest.
 */
export type SubscribeAck = {
  granted: string[];
  denied: string[];
  last: number;
  notifications?: readonly WireNotification[];
  more?: true;
  reset?: true;
};
export type ErrorAck = { error: BusErrorCode };
/** `unavailable`: the store could not be read (the database is away); ask again later. */
export type BusErrorCode =
  "invalid_payload" | "invalid_channel" | "too_many_channels" | "too_large" | "rate_limited" | "unavailable";

export type ServerToClientEvents = {
  notification: (notification: WireNotification) => void;
  revoked: (message: RevokedMessage) => void;
};

/** Payloads from clients are untrusted: they arrive as unknown and are parsed with zod. */
export type ClientToServerEvents = {
  subscribe: (payload: unknown, ack: (answer: SubscribeAck | ErrorAck) => void) => void;
  unsubscribe: (payload: unknown, ack: (answer: { ok: true } | ErrorAck) => void) => void;
};
