// A Socket.IO packet decoder for load generators holding thousands of sockets in one process:
// a `notification` is read only as far as its id, channel, event and the payload's leading
// `total`, instead of JSON.parse of the whole frame on every socket. Everything else (acks,
// presence, any notification that does not start the expected way) goes to the real decoder.
import { Decoder, Encoder, PacketType } from "socket.io-parser";
import { z } from "zod";

/** What a bot needs of a notification; `total` is the payload's when it starts with one. */
export type NotificationHead = { id: number | null; channel: string; event: string; total: number | null };

const LIGHT = Symbol("light notification");
type LightHead = NotificationHead & { [LIGHT]: true };

/**
 * `2` is an EVENT packet on the default namespace; the server writes every notification's keys
 * in this order (lib/bus/store.ts: id, channel, event, payload, at) and a tally's payload starts
 * with total.
 * Channel and event names never contain quotes or backslashes (docs/protocol.md#channel-names).
 */
const HEAD =
  /^2\["notification",\{"id":(null|\d+),"channel":"([^"\\]*)","event":"([^"\\]*)","payload":(?:\{"total":(\d+)[,}])?/;

class LightDecoder extends Decoder {
  override add(chunk: unknown): void {
    const match = typeof chunk === "string" && chunk.startsWith('2["notification",') ? HEAD.exec(chunk) : null;
    if (!match) return super.add(chunk);
    const head: LightHead = {
      [LIGHT]: true,
      id: match[1] === "null" ? null : Number(match[1]),
      channel: match[2] ?? "",
      event: match[3] ?? "",
      total: match[4] === undefined ? null : Number(match[4]),
    };
    this.emitReserved("decoded", { type: PacketType.EVENT, nsp: "/", data: ["notification", head] });
  }
}

/** Pass as socket.io-client's `parser` option. */
export const lightParser = { Encoder, Decoder: LightDecoder };

const fullNotification = z.object({
  id: z.number().int().nullable(),
  channel: z.string(),
  event: z.string(),
  payload: z.unknown(),
});
const totalOf = z.object({ total: z.number().int() });

/** The head of a received notification, from the light decoder or (fallback) a full object. */
export function notificationHead(raw: unknown): NotificationHead | null {
  if (typeof raw === "object" && raw !== null && LIGHT in raw) return raw as LightHead;
  const parsed = fullNotification.safeParse(raw);
  if (!parsed.success) return null;
  const { id, channel, event, payload } = parsed.data;
  return { id, channel, event, total: totalOf.safeParse(payload).data?.total ?? null };
}
