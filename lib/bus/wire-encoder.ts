// The bus's Socket.IO packet encoder: byte for byte Socket.IO's own, except that a replay page
// many sockets receive is turned into JSON once. A room that comes back after an outage asks
// for the same pages (replay-cache.ts), and stringifying each page again for every socket was
// most of the node's work in the catch-up benchmark. Pinned to the socket.io-parser that
// socket.io itself uses (tests/bus/wire-encoder.test.ts checks): upgrade the two together.
import { Decoder, Encoder, PacketType, type Packet } from "socket.io-parser";
import type { WireNotification } from "./events";

type Page = readonly WireNotification[];

/** Pages marked shared, with their JSON once some socket has been sent it. */
const sharedPages = new WeakMap<Page, string | null>();

/**
 * Marks `notifications` as one replay page that several acks may carry, and freezes it: its
 * JSON is kept and reused, so the array must never change afterwards.
 */
export function sharePage<T extends Page>(notifications: T): T {
  if (!sharedPages.has(notifications)) sharedPages.set(Object.freeze(notifications), null);
  return notifications;
}

/**
 * What stands in for the page while the rest of the ack is stringified: no channel name
 * contains a control character, and `encode` checks the stand-in is there exactly once.
 */
const STAND_IN = "\u0001clickbus-replay-page\u0001";
const STAND_IN_JSON = JSON.stringify(STAND_IN);

function sharedPageOf(packet: Packet): Page | null {
  if (packet.type !== PacketType.ACK || !Array.isArray(packet.data) || packet.data.length !== 1) return null;
  const [answer] = packet.data as unknown[];
  if (typeof answer !== "object" || answer === null || !("notifications" in answer)) return null;
  const page = answer.notifications;
  return Array.isArray(page) && sharedPages.has(page) ? page : null;
}

function pageJson(page: Page): string {
  const known = sharedPages.get(page);
  if (known) return known;
  const json = JSON.stringify(page);
  sharedPages.set(page, json);
  return json;
}

export class BusEncoder extends Encoder {
  /** Socket.IO makes its encoder without a replacer; with one, every packet takes the usual path. */
  private readonly plain: boolean;

  constructor(replacer?: (this: unknown, key: string, value: unknown) => unknown) {
    super(replacer);
    this.plain = replacer === undefined;
  }

  override encode(packet: Packet): ReturnType<Encoder["encode"]> {
    const page = this.plain ? sharedPageOf(packet) : null;
    if (!page) return super.encode(packet);
    // A replay page is JSON read from the store: no binary attachment to look for.
    const head = `${packet.type}${packet.nsp && packet.nsp !== "/" ? `${packet.nsp},` : ""}${packet.id ?? ""}`;
    const rest = JSON.stringify(packet.data, (_key, value: unknown) => (value === page ? STAND_IN : value));
    const at = rest.indexOf(STAND_IN_JSON);
    // Exactly one stand-in, or the usual path: a frame is never spliced at the wrong place.
    if (at === -1 || rest.indexOf(STAND_IN_JSON, at + 1) !== -1) return super.encode(packet);
    return [head + rest.slice(0, at) + pageJson(page) + rest.slice(at + STAND_IN_JSON.length)];
  }
}

/** The `parser` option of the bus's Socket.IO server. */
export const busParser = { Encoder: BusEncoder, Decoder };
