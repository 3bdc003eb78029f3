// The crowd's exactly-once check, once every bot has stopped and its last batch was answered:
// the game's total (GET /api/games/:id) minus the total before the first click must equal the
// clicks of every acknowledged batch, and every bot's socket (and the observer) must end on it.
import { gameTotal } from "./answers";
import type { Bot, Session } from "./bot";
import type { Observer } from "./observer";
import { pause } from "./pause";
import type { CrowdStats } from "./stats";

/** The last tally can trail the last commit by a window (100 ms) plus delivery to every socket. */
const SETTLE_TIMEOUT_MS = 10_000;
const POLL_MS = 100;

export type FinalCheck = {
  total: number;
  start: number;
  acknowledged: number;
  botsOnTotal: number;
  bots: number;
  observerOnTotal: boolean;
  unconfirmedBatches: number;
};

/** A node that just served a crowd may still be busy: the read is tried a few times. */
const READ_TRIES = 5;

export async function readTotal(session: Session): Promise<number> {
  const never = new AbortController().signal;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await session.http.request("GET", `${session.origin}/api/games/${session.gameId}`, {
        cookie: session.cookie,
      });
      if (answer.status !== 200) throw new Error(`reading the game's total answered ${answer.status}`);
      return gameTotal.parse(JSON.parse(answer.text)).total;
    } catch (error) {
      if (attempt >= READ_TRIES) throw error;
      await pause(1000 * attempt, never);
    }
  }
}

export async function finalCheck(
  session: Session,
  start: number,
  bots: readonly Bot[],
  observer: Observer,
  stats: CrowdStats,
): Promise<FinalCheck> {
  const total = await readTotal(session);
  const joined = bots.filter((bot) => bot.session !== null);
  const settled = () => observer.shown >= total && joined.every((bot) => bot.lastTotal >= total);
  const never = new AbortController().signal;
  for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; !settled() && Date.now() < deadline;)
    await pause(POLL_MS, never);
  return {
    total,
    start,
    acknowledged: stats.acknowledgedClicks,
    botsOnTotal: joined.filter((bot) => bot.lastTotal === total).length,
    bots: joined.length,
    observerOnTotal: observer.shown === total,
    unconfirmedBatches: stats.unconfirmedBatches,
  };
}

/** Whether every acknowledged click counted once and nothing else was added. */
export function exactlyOnce(check: FinalCheck): boolean {
  return check.total - check.start === check.acknowledged;
}

export function describeCheck(check: FinalCheck): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const added = check.total - check.start;
  const verdict = exactlyOnce(check)
    ? `ok — total ${n(check.total)} = ${n(check.start)} before + ${n(check.acknowledged)} acknowledged clicks`
    : `MISMATCH — total ${n(check.total)} − ${n(check.start)} before = ${n(added)}, acknowledged ${n(check.acknowledged)} (${added > check.acknowledged ? "more: clicks from others, or unanswered batches that committed" : "fewer: acknowledged clicks are missing"})`;
  const unconfirmed =
    check.unconfirmedBatches > 0 ? `; ${n(check.unconfirmedBatches)} batches unanswered at the stop` : "";
  return `${verdict}; ${n(check.botsOnTotal)}/${n(check.bots)} bots and ${check.observerOnTotal ? "the observer" : "NOT the observer"} ended on it${unconfirmed}`;
}
