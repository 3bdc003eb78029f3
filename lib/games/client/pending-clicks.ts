// What the click pad says about the taps the server has not confirmed yet. A big room's pace
// (up to 20 s between batches) would otherwise leave "Sending 60 clicks…" on screen for seconds
// at a time, which reads as a stuck page; the player is told why their taps wait instead.

/** From this pace on, the taps visibly wait for it, and the pad says so. */
export const LONG_PACE_MS = 2000;
/** The weight of the newest answer's pace in the one shown. */
const NEWEST_PACE_WEIGHT = 0.3;

/**
 * The pace the pad shows: each answer's pace is the room's spread by up to half either way (so
 * that players answered together come back apart), and shown as it comes it would jump from 7 s
 * to 21 s and back; a moving average shows the room's.
 */
export function shownPace(previousMs: number, newestMs: number): number {
  if (previousMs <= 0) return newestMs;
  return (1 - NEWEST_PACE_WEIGHT) * previousMs + NEWEST_PACE_WEIGHT * newestMs;
}

const clicks = (count: number) => `${count} click${count === 1 ? "" : "s"}`;

/** `paceMs`: the wait the last answer asked for (0 before any answer). */
export function pendingClicksMessage(unconfirmed: number, connected: boolean, paceMs: number): string | null {
  if (unconfirmed <= 0) return null;
  if (!connected) return `${clicks(unconfirmed)} saved — will send when back online`;
  if (paceMs >= LONG_PACE_MS)
    return `${clicks(unconfirmed)} queued — a big room, so they go about every ${Math.round(paceMs / 1000)} s`;
  return `Sending ${clicks(unconfirmed)}…`;
}
