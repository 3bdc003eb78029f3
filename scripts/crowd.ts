// `npm run crowd -- --url <invite link> --players N --rate R | --taps T --duration S`: N bots join
// the game as guests, stay present and click for S seconds, with one progress line, then the
// figures of the run (answers, projector lag, notifications per bot, the exactly-once check);
// Ctrl-C (or the end of the duration) makes them all leave. Bots live in scripts/crowd/.
import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { Bot } from "./crowd/bot";
import { clickUntilStopped } from "./crowd/clicker";
import { describeCheck, exactlyOnce, finalCheck, readTotal, type FinalCheck } from "./crowd/final-check";
import { HttpClient } from "./crowd/http";
import { JoinPacer } from "./crowd/join-pacer";
import { Observer } from "./crowd/observer";
import { parseOptions, USAGE, type CrowdOptions } from "./crowd/options";
import { pause } from "./crowd/pause";
import { describe } from "./crowd/percentiles";
import { CrowdStats } from "./crowd/stats";

/** Joins in flight at once; the pacer decides how many start each second. */
const JOIN_WORKERS = 16;
const PROGRESS_EVERY_MS = 250;
const LEAVE_TIMEOUT_MS = 30_000;
/** Not a terminal (a log, a test): a plain line this often instead of one line redrawn. */
const LOG_EVERY_MS = 2000;

function progressPrinter(stats: CrowdStats, endsAt: number): { tick: () => void; done: () => void } {
  const live = process.stdout.isTTY === true;
  let loggedAt = 0;
  const secondsLeft = () => Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
  const tick = () => {
    const line = stats.line(secondsLeft());
    if (live) process.stdout.write(`\r\x1b[2K${line}`);
    else if (Date.now() - loggedAt >= LOG_EVERY_MS) {
      loggedAt = Date.now();
      console.log(line);
    }
  };
  return { tick, done: () => (live ? process.stdout.write(`\r\x1b[2K`) : undefined) };
}

type Room = { observer: Observer; start: number; clicking: Promise<void>[] };

/**
 * The first bot joins alone: the observer subscribes as it and the game's total is read before
 * any bot clicks, so that every acknowledged batch is measured. Then the rest join in parallel,
 * each starting to click as soon as it is in.
 */
async function joinAll(options: CrowdOptions, bots: Bot[], stats: CrowdStats, stop: AbortSignal): Promise<Room | null> {
  const pacer = new JoinPacer(options.joinRate);
  const [first] = bots;
  if (!first || !(await first.join(pacer, stop)) || !first.session) return null;
  const session = first.session;
  const observer = new Observer({ origin: options.origin, cookie: session.cookie, channel: `game:${session.gameId}` });
  await observer.ready();
  const room: Room = { observer, start: await readTotal(session), clicking: [] };
  const play = (bot: Bot) => {
    if (!bot.session) return;
    bot.connect();
    room.clicking.push(clickUntilStopped(bot.session, options.load, options.players, stats, observer, stop));
  };
  play(first);
  let next = 1;
  const worker = async () => {
    while (!stop.aborted && next < bots.length) {
      const bot = bots[next++];
      if (!bot || !(await bot.join(pacer, stop))) return;
      play(bot);
    }
  };
  await Promise.all(Array.from({ length: Math.min(JOIN_WORKERS, bots.length - 1) }, worker));
  return room;
}

function report(stats: CrowdStats, check: FinalCheck | null, observer: Observer | undefined): void {
  const answers = stats.answers.summary();
  console.log(`crowd: batch answers ${describe(answers)} (${answers.count.toLocaleString("en-US")} answers)`);
  if (observer) {
    const lag = observer.lag.summary();
    const unshown = observer.unshown > 0 ? `, ${observer.unshown} never shown` : "";
    console.log(`crowd: projector lag ${describe(lag)} (${lag.count.toLocaleString("en-US")} batches${unshown})`);
  }
  const rates = stats.perBotPerSecond();
  const others = rates.byEvent
    .filter(([event]) => event !== "tally")
    .map(([event, rate]) => `${event} ${rate.toFixed(1)}`);
  console.log(
    `crowd: notifications ${rates.notifications.toFixed(1)} per bot per second (tallies ${rates.tallies.toFixed(1)}${others.length > 0 ? `; ${others.join(", ")}` : ""})`,
  );
  if (check) console.log(`crowd: exactly once: ${describeCheck(check)}`);
}

async function runCrowd(options: CrowdOptions): Promise<number> {
  const run = randomBytes(2).toString("hex");
  const stats = new CrowdStats(options.players);
  const http = new HttpClient(options.origin);
  const bots = Array.from(
    { length: options.players },
    (_, index) => new Bot(options.origin, http, options.code, `bot-${run}-${index + 1}`, stats),
  );
  const stop = new AbortController();
  // Every bot waits on this one signal (its pauses and its joins).
  setMaxListeners(options.players * 2 + JOIN_WORKERS + 10, stop.signal);
  const endsAt = Date.now() + options.duration * 1000;
  const progress = progressPrinter(stats, endsAt);
  const ticker = setInterval(progress.tick, PROGRESS_EVERY_MS);
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130); // a second Ctrl-C: do not wait for the bots to leave
    stop.abort();
  });
  const load =
    options.load.kind === "taps" ? `${options.load.perSecond} taps/s` : `${options.load.perSecond} batches/s`;
  console.log(
    `crowd: ${options.players} bots → ${options.origin} for ${options.duration} s at ${load} each (Ctrl-C to stop)`,
  );

  // The duration also ends joins still waiting out a rate limit.
  const ending = setTimeout(() => stop.abort(), options.duration * 1000);
  let failure: unknown = null;
  const room = await joinAll(options, bots, stats, stop.signal).catch((error: unknown) => {
    failure = error;
    stop.abort();
    return null;
  });
  await pause(Math.max(0, endsAt - Date.now()), stop.signal);
  clearTimeout(ending);
  stop.abort();
  await Promise.all(room?.clicking ?? []);
  for (const bot of bots) bot.stopCounting();
  const first = bots[0]?.session;
  const check =
    room && first && !failure
      ? await finalCheck(first, room.start, bots, room.observer, stats).catch(
          (error: unknown) => void (failure = error),
        )
      : null;
  room?.observer.close();
  await Promise.race([
    Promise.all(bots.map((bot) => bot.leave())),
    new Promise((resolve) => setTimeout(resolve, LEAVE_TIMEOUT_MS)),
  ]);
  http.close();
  clearInterval(ticker);
  progress.done();
  report(stats, check ?? null, room?.observer);
  console.log(stats.line(null));
  if (failure) console.error(`crowd: ${failure instanceof Error ? failure.message : String(failure)}`);
  return failure || stats.joined === 0 || (check && !exactlyOnce(check)) ? 1 : 0;
}

const argv = process.argv.slice(2);
if (argv.includes("--help")) {
  console.log(USAGE);
  process.exit(0);
}
const parsed = parseOptions(argv);
if (!parsed.ok) {
  console.error(`crowd: ${parsed.message}\n\n${USAGE}`);
  process.exit(2);
}
process.exit(await runCrowd(parsed.options));
