// The error page's automatic retries, remembered per path in sessionStorage: the error page
// remounts after each failed retry (and a reload starts a new document), and its backoff must not
// start over each time. A record is forgotten once the page loads fine (see errorPageShown).
import { z } from "zod";

const KEY_PREFIX = "clickbus:retries:";
/** Well beyond the longest wait between two retries (60 s +20 %): an older record is of an outage long over. */
const STALE_MS = 3 * 60_000;
/** A failed retry shows the error page again at once; one that stays away this long means the page loaded. */
const REPLACED_WITHIN_MS = 1_000;

const retryRecord = z.object({ attempts: z.number().int().nonnegative(), at: z.number() });

function keyFor(path: string): string {
  return KEY_PREFIX + path;
}

/** How many retries this tab already made for `path` in the outage going on. */
export function retriesSoFar(path: string, now = Date.now()): number {
  try {
    const raw = sessionStorage.getItem(keyFor(path));
    const record = retryRecord.safeParse(raw === null ? undefined : JSON.parse(raw));
    return record.success && now - record.data.at < STALE_MS ? record.data.attempts : 0;
  } catch {
    // Storage refused (disabled, full) or a record that is not JSON: back off from the start.
    return 0;
  }
}

export function noteRetries(path: string, attempts: number, now = Date.now()): void {
  try {
    sessionStorage.setItem(keyFor(path), JSON.stringify({ attempts, at: now }));
  } catch {
    // Storage refused: the waits stop growing past the second one, still spread out.
  }
}

let errorPagesShown = 0;

/**
 * Call when an error page mounts; call the result when it unmounts. The page loaded fine when no
 * error page replaces this one within a second (a failed retry mounts the next at once), and then
 * `path`'s record is forgotten: the next outage starts again from the shortest wait. Leaving the
 * error page for another page forgets it too. A reload that loads fine runs none of this: the
 * record then expires (STALE_MS).
 */
export function errorPageShown(path: string): () => void {
  errorPagesShown += 1;
  return () => {
    errorPagesShown -= 1;
    setTimeout(() => {
      if (errorPagesShown > 0) return;
      try {
        sessionStorage.removeItem(keyFor(path));
      } catch {
        // Storage refused: there is no record to forget.
      }
    }, REPLACED_WITHIN_MS);
  };
}
