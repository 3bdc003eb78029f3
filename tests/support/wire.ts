// The bus's wire protocol (docs/protocol.md) as zod schemas, for tests that read what a server
// sends: a subscribe ack, an error ack with one of the documented codes, and a notification.
// Written from the protocol's document and stricter than the browser's own (lib/bus/client/wire-schemas.ts, lenient on
// purpose for newer servers), so a test never checks the server against the code it tests.
import { z } from "zod";

export const BUS_ERROR_CODES = [
  "invalid_payload",
  "invalid_channel",
  "too_many_channels",
  "too_large",
  "rate_limited",
  "unavailable",
] as const;

export const wireNotification = z.strictObject({
  id: z.number().int().positive().nullable(),
  channel: z.string(),
  event: z.string(),
  payload: z.unknown(),
  at: z.iso.datetime(),
});
export type WireNotificationShape = z.infer<typeof wireNotification>;

export const subscribeAck = z.strictObject({
  granted: z.array(z.string()),
  denied: z.array(z.string()),
  last: z.number().int().nonnegative(),
  notifications: z.array(wireNotification).optional(),
  more: z.literal(true).optional(),
  reset: z.literal(true).optional(),
});
export type SubscribeAckShape = z.infer<typeof subscribeAck>;

export const unsubscribeAck = z.strictObject({ ok: z.literal(true) });

export const errorAck = z.strictObject({ error: z.enum(BUS_ERROR_CODES) });
