// How a bot clicks: one batch in flight, like the game page. With `--taps` the bot taps at that
// rate and each batch carries the taps since the last one; with `--rate` each batch carries 1–5
// clicks about `rate` times a second. Either way the next batch waits at least max(150 ms,
// paceMs) after an answer; a batch that got no answer is sent again with the same batchId (so it
// counts once), a 429 waits out its Retry-After.
import { randomInt, randomUUID } from "node:crypto";
import { STARTING_BATCHES_PER_SECOND } from "@/lib/games/client/click-pace-limits";
import { roomStartDelayMs, roomStartWindowMs } from "@/lib/games/client/room-start";
import { clicksAnswer, MIN_PACE_MS, paceOf } from "./answers";
import type { Session } from "./bot";
import { retryAfterMs } from "./http";
import type { Observer } from "./observer";
import { pause } from "./pause";
import type { CrowdStats } from "./stats";

export type Load = { kind: "taps"; perSecond: number } | { kind: "batches"; perSecond: number };
type Batch = { count: number; batchId: string };
type Outcome =
  { kind: "answered"; paceMs: number } | { kind: "retry"; afterMs: number; backOff: boolean } | { kind: "dropped" };

/** The server's cap on one batch (lib/games/schemas.ts); taps beyond it wait for the next batch. */
const MAX_CLICKS_PER_BATCH = 500;
const MAX_RANDOM_CLICKS = 5;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;

async function send(session: Session, batch: Batch, stats: CrowdStats, observer: Observer): Promise<Outcome> {
  stats.sent += 1;
  const headers = { cookie: session.cookie, origin: session.origin, "content-type": "application/json" };
  const sentAt = performance.now();
  try {
    const answer = await session.http.request(
      "POST",
      `${session.origin}/api/games/${session.gameId}/clicks`,
      headers,
      JSON.stringify(batch),
    );
    if (answer.status === 429) {
      stats.limited += 1;
      return { kind: "retry", afterMs: retryAfterMs(answer), backOff: false };
    }
    if (answer.status === 200) {
      const parsed = clicksAnswer.parse(JSON.parse(answer.text));
      const answeredAt = performance.now();
      stats.answers.record(answeredAt - sentAt);
      stats.acknowledged += 1;
      stats.acknowledgedClicks += batch.count;
      observer.committed(parsed.total, answeredAt);
      return { kind: "answered", paceMs: paceOf(parsed) };
    }
    stats.error(`clicks answered ${answer.status}`);
    // 5xx: the node may come back (or may have committed it): same batch again, like the game page.
    return answer.status >= 500 ? { kind: "retry", afterMs: RETRY_MIN_MS, backOff: true } : { kind: "dropped" };
  } catch (error) {
    stats.error(error instanceof Error ? error.message : String(error));
    return { kind: "retry", afterMs: RETRY_MIN_MS, backOff: true };
  }
}

/** Taps that happen at a steady rate, collected into batches whenever one may be sent. */
export class Taps {
  private owed = Math.random();
  private at = performance.now();

  constructor(private readonly perSecond: number) {}

  /** The taps since the last call (at most one batch's worth), or 0 and how long until the next. */
  take(): { count: number; waitMs: number } {
    const now = performance.now();
    this.owed += ((now - this.at) / 1000) * this.perSecond;
    this.at = now;
    const count = Math.min(MAX_CLICKS_PER_BATCH, Math.floor(this.owed));
    this.owed -= count;
    return { count, waitMs: count > 0 ? 0 : ((1 - this.owed) / this.perSecond) * 1000 };
  }
}

/** The next batch to send, or how long until there is one. */
function nextBatch(load: Load, taps: Taps | null): Batch | number {
  if (load.kind === "batches" || !taps) return { count: 1 + randomInt(MAX_RANDOM_CLICKS), batchId: randomUUID() };
  const { count, waitMs } = taps.take();
  return count > 0 ? { count, batchId: randomUUID() } : waitMs;
}

/** After an answer: the pace, and with `--rate` the jittered interval (0.5–1.5 ×) if longer. */
function waitAfterAnswer(load: Load, paceMs: number): number {
  if (load.kind === "taps") return paceMs;
  return Math.max(paceMs, (1000 / load.perSecond) * (0.5 + Math.random()));
}

/**
 * `players`: the bots of this run. They start as a room that starts at once does on the game page
 * (lib/games/client/room-start.ts): each first batch somewhere in the time the node needs for one
 * batch of every bot (at its starting budget: an API client learns the node's pace only from its
 * answers), and the second no sooner than that.
 */
export async function clickUntilStopped(
  session: Session,
  load: Load,
  players: number,
  stats: CrowdStats,
  observer: Observer,
  signal: AbortSignal,
): Promise<void> {
  const startWindowMs = roomStartWindowMs(players, STARTING_BATCHES_PER_SECOND);
  // Within one interval at least, so that bots do not click in lockstep.
  await pause(roomStartDelayMs(Math.max(startWindowMs, MIN_PACE_MS, 1000 / load.perSecond)), signal);
  let holdMs = startWindowMs;
  const taps = load.kind === "taps" ? new Taps(load.perSecond) : null;
  let batch: Batch | null = null;
  let retryMs = RETRY_MIN_MS;
  while (!signal.aborted) {
    const next: Batch | number = batch ?? nextBatch(load, taps);
    if (typeof next === "number") {
      await pause(next, signal);
      continue;
    }
    batch = next;
    const outcome = await send(session, next, stats, observer);
    if (outcome.kind === "retry") {
      // Errors back off (500 ms doubling to 5 s, as the game page); a 429 says how long itself.
      await pause(outcome.backOff ? retryMs : outcome.afterMs, signal);
      if (outcome.backOff) retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
      continue;
    }
    batch = null;
    retryMs = RETRY_MIN_MS;
    const waitMs = outcome.kind === "answered" ? waitAfterAnswer(load, outcome.paceMs) : MIN_PACE_MS;
    await pause(Math.max(waitMs, holdMs), signal);
    holdMs = 0;
  }
  if (batch) {
    stats.unconfirmedBatches += 1;
    stats.unconfirmedClicks += batch.count;
  }
}
