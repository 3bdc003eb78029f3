// The messages between a tab and the bus SharedWorker, both ways, as zod schemas: whatever
// arrives on a MessagePort is outside data and is parsed before use.
import { z } from "zod";
import { revokedSchema, wireNotificationSchema } from "./wire-schemas";

/** How often the worker asks each tab whether it is still there. */
export const PING_MS = 2000;
/** A tab that has not answered this many pings in a row is forgotten (closed, crashed, frozen). */
export const MISSED_PINGS_ALLOWED = 2;

const key = z.number().int().nonnegative();

export const tabMessageSchema = z.discriminatedUnion("type", [
  /** Follow `channel` for one listener of the tab, identified by `key` (unique in the tab). */
  z.object({
    type: z.literal("listen"),
    key,
    channel: z.string().max(100),
    since: z.number().int().nonnegative().optional(),
    presence: z.boolean(),
  }),
  z.object({ type: z.literal("unlisten"), key }),
  z.object({ type: z.literal("pong") }),
  /**
   * The tab's online/offline event. The tabs and the worker share one network, so the latest
   * report from any of them is the browser's state (a worker's own events can lag, and
   * emulated offline in devtools or Playwright reaches pages only).
   */
  z.object({ type: z.literal("online"), online: z.boolean() }),
  /** The tab is going away (pagehide): forget it now rather than after the missed pings. */
  z.object({ type: z.literal("bye") }),
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;

const status = z.enum(["connected", "reconnecting", "offline"]);
const state = z.enum(["subscribing", "granted", "denied", "revoked"]);

export const workerMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("status"), status }),
  z.object({ type: z.literal("notification"), key, notification: wireNotificationSchema }),
  z.object({ type: z.literal("state"), key, state, reason: revokedSchema.shape.reason.optional() }),
  z.object({ type: z.literal("reset"), key }),
  z.object({ type: z.literal("ping") }),
  /** The worker had forgotten this tab (it missed pings): listen again from the tab's own cursors. */
  z.object({ type: z.literal("dropped") }),
  /** The worker's session is over (signed out, or the cookie is another user's now). */
  z.object({ type: z.literal("session_ended"), reason: z.enum(["signed_out", "unauthorized", "other_user"]) }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;
