// What the click pad says about the taps the server has not confirmed yet. A big room's pace
// (up to 20 s between batches) would otherwise leave "Sending 60 clicks…" on screen for seconds
// at a time, which reads as a stuck page; the player is told why their taps wait instead.

/** From this pace on, the taps visibly wait for it, and the pad says so. */
export const LONG_PACE_MS = 2000;

const clicks = (count: number) => `${count} click${count === 1 ? "" : "s"}`;

/** `paceMs`: the wait the last answer asked for (0 before any answer). */
export function pendingClicksMessage(unconfirmed: number, connected: boolean, paceMs: number): string | null {
  if (unconfirmed <= 0) return null;
  if (!connected) return `${clicks(unconfirmed)} saved — will send when back online`;
  if (paceMs >= LONG_PACE_MS)
    return `${clicks(unconfirmed)} queued — a big room, so they go every ${Math.round(paceMs / 1000)} s`;
  return `Sending ${clicks(unconfirmed)}…`;
}
