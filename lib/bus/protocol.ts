// Parsing of client → server payloads (subscribe, unsubscribe) and the protocol's limits.
import { z } from "zod";
import { MAX_CHANNEL_NAME_LENGTH, parseChannelName } from "./channel-name";
import type { BusErrorCode } from "./events";

export const MAX_CHANNELS = 100;
export const MAX_MESSAGE_BYTES = 16 * 1024;
/**
 * Engine-level frame cap, just above the 16 KiB message limit (plus Socket.IO's framing and the
 * ack id): a bigger frame closes the connection before it is decoded, so a client cannot make the
 * node parse a megabyte to refuse it. Messages between 16 KiB and this get a `too_large` ack.
 */
export const MAX_FRAME_BYTES = MAX_MESSAGE_BYTES + 4096;

const channelList = z.array(z.unknown());
const subscribeShape = z.strictObject({
  channels: channelList,
  last: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Extension: `false` follows a channel without appearing in its presence (the lobby does). */
  presence: z.boolean().optional(),
});
const unsubscribeShape = z.strictObject({ channels: channelList });

type Parsed<T> = { ok: true; value: T } | { ok: false; error: BusErrorCode };

function byteSize(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? "");
  } catch {
    return Infinity;
  }
}

function parseChannels(raw: unknown[]): Parsed<string[]> {
  if (raw.length > MAX_CHANNELS) return { ok: false, error: "too_many_channels" };
  const names = new Set<string>();
  for (const item of raw) {
    if (typeof item !== "string" || item.length > MAX_CHANNEL_NAME_LENGTH || !parseChannelName(item)) {
      return { ok: false, error: "invalid_channel" };
    }
    names.add(item);
  }
  return { ok: true, value: [...names] };
}

function parseMessage<T extends { channels: unknown[] }>(
  shape: z.ZodType<T>,
  payload: unknown,
): Parsed<Omit<T, "channels"> & { channels: string[] }> {
  if (byteSize(payload) > MAX_MESSAGE_BYTES) return { ok: false, error: "too_large" };
  const parsed = shape.safeParse(payload);
  if (!parsed.success) return { ok: false, error: "invalid_payload" };
  const channels = parseChannels(parsed.data.channels);
  return channels.ok ? { ok: true, value: { ...parsed.data, channels: channels.value } } : channels;
}

export const parseSubscribe = (payload: unknown) => parseMessage(subscribeShape, payload);
export const parseUnsubscribe = (payload: unknown) => parseMessage(unsubscribeShape, payload);
