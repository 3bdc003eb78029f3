// Scenario 5, a room (issue #20): N guests, each with a phone subscribed to the game, tap `taps`
// times a second for a fixed time through the game page's server action (then, with the `api`
// path, through POST /api/games/:id/clicks on the same room), batched like the game page (one
// batch in flight, the next after max(150 ms, paceMs)). Measured over that window: batch answers,
// how far a projector's total trails the commits, notifications per phone per second, server and
// load-generator CPU, /api/health while it runs; then exactly once: the game's total against
// every acknowledged click, and every screen ending on it.
import { roomStartDelayMs, roomStartWindowMs } from "@/lib/games/client/room-start";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Taps } from "@/scripts/crowd/clicker";
import type { Percentiles } from "@/scripts/crowd/percentiles";
import { Latencies, type LatencySummary } from "../histogram";
import { Phones } from "../room-phones";
import type { Room } from "../room-target";
import type { RequestPhases } from "../http";
import type { LoopDelay } from "../process-stats";
import type { ClickVia, Player, Target } from "../target";
import { nextBatchId } from "../batch-ids";
import { fetchMetrics, metricValue } from "../metrics-text";
import { clientCpuPercent, cpuClock, now, sleep, waitQuiet } from "../clock";

export type RoomOptions = {
  sizes: readonly number[];
  /** The click paths measured on each room, the game page's action first (the issue's path). */
  paths: readonly ClickVia[];
  taps: number;
  seconds: number;
  concurrency: number;
};
export type RoomExact = {
  start: number;
  total: number;
  acknowledged: number;
  unanswered: number;
  phones: number;
  phonesOnTotal: number;
  projectorOnTotal: boolean;
};
export type RoomResult = {
  guests: number;
  via: ClickVia;
  joinSeconds: number;
  seconds: number;
  batches: number;
  clicks: number;
  refused: number;
  answers: LatencySummary;
  /** Answer times by the second of the window the batch was sent in (where a tail comes from). */
  answersBySecond: Array<LatencySummary & { second: number }>;
  /** The TCP connects of batches that opened a connection (each phone's first, or after a drop). */
  connects: LatencySummary;
  lag: Percentiles & { unshown: number };
  notificationsPerPhonePerSecond: number;
  talliesPerPhonePerSecond: number;
  serverCpuPercent: number;
  clientCpuPercent: number;
  /**
   * How late the load generator's own event loop ran over the window (max and p99, ms): an answer
   * time is only as good as the clock that reads it, and a stalled generator reads late.
   */
  clientLoopDelay: { maxMs: number; p99Ms: number };
  /** The server's event-loop delay and GC pauses over the window (through the probe). */
  serverLoop: LoopDelay;
  /**
   * Answers over 1 s as the guests timed them, and as the node timed its click path (from reaching
   * addClicks; absent without metrics): where the two differ, the wait was before the click path.
   */
  slowAnswers: { client: number; request?: number; server?: number; session?: number };
  /** The slowest answers' phases (tests/bench/http.ts), with the second they were sent in. */
  slowest: Array<RequestPhases & { second: number; connectMs: number }>;
  health: LatencySummary & { failures: number };
  exact: RoomExact;
};

/** Lets the presence updates of the last joins go out before the window opens. */
const SETTLE_MS = 1000;
const HEALTH_EVERY_MS = 100;
const RETRY_MS = 500;
/** A batch still unanswered at the end is tried this often more, so that the check is exact. */
const FINAL_TRIES = 10;
const SCREENS_TIMEOUT_MS = 10_000;

type Tally = {
  answers: Latencies;
  slowest: RoomResult["slowest"];
  /** Answers that took more than SLOW_MS. */
  slow: number;
  bySecond: Map<number, Latencies>;
  connects: Latencies;
  batches: number;
  clicks: number;
  refused: number;
  unanswered: number;
};

const SLOW_MS = 1000;
const SLOWEST_KEPT = 20;

function recordAnswer(
  tally: Tally,
  second: number,
  ms: number,
  answer: { connectMs: number; phases: RequestPhases },
): void {
  const { connectMs, phases } = answer;
  tally.answers.record(ms);
  if (tally.slowest.length < SLOWEST_KEPT || ms > (tally.slowest.at(-1)?.endMs ?? 0)) {
    tally.slowest.push({ second, connectMs, ...phases });
    tally.slowest.sort((a, b) => b.endMs - a.endMs);
    tally.slowest.length = Math.min(tally.slowest.length, SLOWEST_KEPT);
  }
  if (ms > SLOW_MS) tally.slow += 1;
  const inSecond = tally.bySecond.get(second) ?? new Latencies();
  inSecond.record(ms);
  tally.bySecond.set(second, inSecond);
  if (connectMs > 0) tally.connects.record(connectMs);
}

async function guestLoop(
  room: Room,
  via: ClickVia,
  guest: Player,
  taps: number,
  until: number,
  tally: Tally,
  phones: Phones,
  timing: { started: number; startWindowMs: number },
): Promise<void> {
  const { started, startWindowMs } = timing;
  // As the game page does when a whole room starts at once: the first batch somewhere in the
  // room's start window, the second no sooner than the window (lib/games/client/room-start.ts).
  await sleep(roomStartDelayMs(startWindowMs));
  let holdMs = startWindowMs;
  const tapper = new Taps(taps);
  let batch: { count: number; batchId: string } | null = null;
  for (let finalTries = 0; now() < until || (batch && finalTries++ < FINAL_TRIES);) {
    if (!batch) {
      const { count, waitMs } = tapper.take();
      if (count === 0) {
        await sleep(Math.min(waitMs, until - now()));
        continue;
      }
      batch = { count, batchId: nextBatchId() };
    }
    const sentAt = now();
    const outcome = await room
      .click(guest, batch, via)
      .catch((error: unknown) => ({ kind: "rejected" as const, code: String(error) }));
    if (outcome.kind === "rejected") {
      // Kept with its batch id, as the game page keeps it: counted once whenever it gets through.
      tally.refused += 1;
      await sleep(RETRY_MS);
      continue;
    }
    recordAnswer(tally, Math.floor((sentAt - started) / 1000), now() - sentAt, outcome);
    tally.batches += 1;
    tally.clicks += batch.count;
    phones.projector.committed(outcome.total, outcome.answeredAt);
    batch = null;
    await sleep(Math.min(Math.max(outcome.paceMs, holdMs), Math.max(0, until - now())));
    holdMs = 0;
  }
  if (batch) tally.unanswered += 1;
}

/**
 * So far on the node, each over 1 s: server actions from reaching the node to their answer's last
 * byte (all of them: the room sends no other), click batches from reaching addClicks to their
 * answer, and addClicks actions to know their caller (before their work).
 */
async function serverSlowAnswers(
  target: Target,
  via: ClickVia,
): Promise<{ request: number; clickPath: number; session: number } | undefined> {
  if (!target.metricsUrl) return undefined;
  const text = await fetchMetrics(target.metricsUrl);
  const over1s = (histogram: string, labels: string) => {
    const all = metricValue(text, `${histogram}_count${labels ? `{${labels}}` : ""}`);
    const fast = metricValue(text, `${histogram}_bucket{le="1"${labels ? `,${labels}` : ""}}`);
    return all === undefined || fast === undefined ? 0 : all - fast;
  };
  return {
    request: over1s("clickbus_http_request_seconds", `kind="${via}"`),
    clickPath: over1s("clickbus_click_answer_seconds", ""),
    session: over1s("clickbus_action_session_seconds", 'action="addClicks"'),
  };
}

async function probeHealth(room: Room, until: number): Promise<LatencySummary & { failures: number }> {
  const latencies = new Latencies();
  let failures = 0;
  while (now() < until) {
    const sentAt = now();
    const status = await room.health().catch(() => 0);
    latencies.record(now() - sentAt);
    if (status !== 200) failures += 1;
    await sleep(Math.max(0, HEALTH_EVERY_MS - (now() - sentAt)));
  }
  return { ...latencies.summary(), failures };
}

async function screensOn(
  room: Room,
  phones: Phones,
  acknowledged: number,
  start: number,
  unanswered: number,
): Promise<RoomExact> {
  const total = await room.total();
  const deadline = now() + SCREENS_TIMEOUT_MS;
  while (now() < deadline && (phones.onTotal(total).phones < phones.phones.length || !phones.onTotal(total).projector))
    await sleep(50);
  const on = phones.onTotal(total);
  return {
    start,
    total,
    acknowledged,
    unanswered,
    phones: phones.phones.length,
    phonesOnTotal: on.phones,
    projectorOnTotal: on.projector,
  };
}

async function measure(target: Target, room: Room, via: ClickVia, options: RoomOptions): Promise<RoomResult> {
  const phones = await Phones.open(room, options.concurrency);
  try {
    await room.openPageConnections();
    await sleep(SETTLE_MS);
    const start = await room.total();
    const startWindowMs = roomStartWindowMs(room.guests.length, await room.clickBudget());
    phones.startCounting();
    const tally: Tally = {
      answers: new Latencies(),
      slowest: [],
      slow: 0,
      bySecond: new Map(),
      connects: new Latencies(),
      batches: 0,
      clicks: 0,
      refused: 0,
      unanswered: 0,
    };
    const serverBefore = await serverSlowAnswers(target, via);
    await target.probe.startLoopDelay();
    const cpuBefore = target.cpuSeconds();
    const clientClock = cpuClock();
    const clientLoop = monitorEventLoopDelay({ resolution: 5 });
    clientLoop.enable();
    const started = now();
    const until = started + options.seconds * 1000;
    const [health] = await Promise.all([
      probeHealth(room, until),
      ...room.guests.map((guest) =>
        guestLoop(room, via, guest, options.taps, until, tally, phones, { started, startWindowMs }),
      ),
    ]);
    const seconds = (now() - started) / 1000;
    const serverCpuPercent = ((target.cpuSeconds() - cpuBefore) / seconds) * 100;
    const clientCpu = clientCpuPercent(clientClock);
    clientLoop.disable();
    const clientLoopDelay = { maxMs: clientLoop.max / 1e6, p99Ms: clientLoop.percentile(99) / 1e6 };
    const serverLoop = await target.probe.stopLoopDelay();
    const serverAfter = await serverSlowAnswers(target, via);
    const slowAnswers = {
      client: tally.slow,
      ...(serverBefore && serverAfter
        ? {
            request: serverAfter.request - serverBefore.request,
            server: serverAfter.clickPath - serverBefore.clickPath,
            session: serverAfter.session - serverBefore.session,
          }
        : {}),
    };
    const received = phones.counts();
    const exact = await screensOn(room, phones, tally.clicks, start, tally.unanswered);
    const perPhone = (count: number) => count / phones.phones.length / seconds;
    return {
      guests: room.guests.length,
      via,
      joinSeconds: room.joinSeconds,
      seconds,
      batches: tally.batches,
      clicks: tally.clicks,
      refused: tally.refused,
      answers: tally.answers.summary(),
      answersBySecond: [...tally.bySecond]
        .sort(([a], [b]) => a - b)
        .map(([second, latencies]) => ({ second, ...latencies.summary() })),
      connects: tally.connects.summary(),
      lag: { ...phones.projector.lag.summary(), unshown: phones.projector.unshown },
      notificationsPerPhonePerSecond: perPhone(received.notifications),
      talliesPerPhonePerSecond: perPhone(received.tallies),
      serverCpuPercent,
      clientCpuPercent: clientCpu,
      clientLoopDelay,
      serverLoop,
      slowAnswers,
      slowest: tally.slowest,
      health,
      exact,
    };
  } finally {
    phones.close();
  }
}

/** `paths` in the order the scenario measures them: the game page's action (the issue's path) first. */
export const actionFirst = (paths: readonly ClickVia[]): ClickVia[] =>
  (["action", "api"] as const).filter((via) => paths.includes(via));

export async function runRoom(target: Target, options: RoomOptions): Promise<RoomResult[]> {
  const results: RoomResult[] = [];
  for (const size of options.sizes) {
    const room = await target.openRoom(size);
    try {
      for (const via of actionFirst(options.paths)) {
        await waitQuiet(() => target.cpuSeconds());
        results.push(await measure(target, room, via, options));
      }
    } finally {
      room.close();
    }
    await waitQuiet(() => target.cpuSeconds());
  }
  return results;
}

/** Whether every acknowledged click counted once and every screen ended on the game's total. */
export function roomExact(exact: RoomExact): boolean {
  return (
    exact.total - exact.start === exact.acknowledged &&
    exact.unanswered === 0 &&
    exact.phonesOnTotal === exact.phones &&
    exact.projectorOnTotal
  );
}
