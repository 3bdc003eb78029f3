// Keeps every tab of a browser on the same session: each tab tells the others, over a
// BroadcastChannel, which identity its server render had, and a tab hearing another one
// re-renders from the server (signed out in one tab, or signed in as someone else).
import { z } from "zod";

const CHANNEL = "clickbus-session";
const beaconSchema = z.object({ identity: z.string().max(100) });

export type SessionBeacon = { announce: () => void; close: () => void };

/**
 * `identity` is this tab's (see identityKey). Convergent: the cookie is shared, so every tab
 * that re-renders ends on the same identity and announces it; a tab that already had it does
 * nothing.
 */
export function sessionBeacon(identity: string, onOtherIdentity: () => void): SessionBeacon {
  if (typeof BroadcastChannel === "undefined") return { announce: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(CHANNEL);
  channel.addEventListener("message", (event: MessageEvent) => {
    const parsed = beaconSchema.safeParse(event.data);
    if (parsed.success && parsed.data.identity !== identity) onOtherIdentity();
  });
  return { announce: () => channel.postMessage({ identity }), close: () => channel.close() };
}
