// zod schemas of what the browser receives from the bus server (notifications, revocations,
// subscribe answers): frames from the network are outside data, parsed before use.
import { z } from "zod";
import type { RevokedMessage, WireNotification } from "../events";

export const wireNotificationSchema = z.object({
  id: z.number().int().positive().nullable(),
  channel: z.string(),
  event: z.string(),
  payload: z.unknown(),
  at: z.string(),
}) satisfies z.ZodType<WireNotification>;

export const revokedSchema = z.object({
  channel: z.string(),
  reason: z.enum(["removed", "left", "deleted", "signed_out"]),
}) satisfies z.ZodType<RevokedMessage>;

const subscribeAckSchema = z.object({
  granted: z.array(z.string()),
  denied: z.array(z.string()),
  last: z.number().int().nonnegative(),
  // The replay comes inside the ack, oldest first, paged with `more` (docs/protocol.md#replay); a
  // subscribe without `last` asks for no replay, and its ack has no `notifications`.
  notifications: z.array(wireNotificationSchema).optional(),
  more: z.literal(true).optional(),
  reset: z.literal(true).optional(),
});
export type ParsedSubscribeAck = z.infer<typeof subscribeAckSchema>;

/** An error code is kept as a string: a newer server may know codes this client does not. */
export const subscribeAnswerSchema = z.union([z.object({ error: z.string() }), subscribeAckSchema]);
export type SubscribeAnswer = z.infer<typeof subscribeAnswerSchema>;
