// `npm run crowd -- --url <invite link> --players N --rate R --duration S`: N bots join the game
// as guests, stay present and click R batches a second each for S seconds, with one progress
// line; Ctrl-C (or the end of the duration) makes them all leave. Bots live in scripts/crowd/.
import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { Bot, pause } from "./crowd/bot";
import { parseOptions, USAGE, type CrowdOptions } from "./crowd/options";
import { CrowdStats } from "./crowd/stats";

/** Joins run a few at a time, so a big crowd arrives as a stream rather than one burst. */
const JOINS_AT_ONCE = 5;
const PROGRESS_EVERY_MS = 250;
const LEAVE_TIMEOUT_MS = 10_000;

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
  return { tick, done: () => (live ? process.stdout.write(`\r\x1b[2K${stats.line(null)}\n`) : console.log(stats.line(null))) };
}

async function joinAll(bots: Bot[], stop: AbortSignal, rate: number, clicking: Promise<void>[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!stop.aborted && next < bots.length) {
      const bot = bots[next++];
      if (!bot || !(await bot.join(stop))) return;
      bot.connect();
      clicking.push(bot.clickUntilStopped(rate, stop));
    }
  };
  await Promise.all(Array.from({ length: JOINS_AT_ONCE }, worker));
}

async function runCrowd(options: CrowdOptions): Promise<number> {
  const run = randomBytes(2).toString("hex");
  const stats = new CrowdStats(options.players);
  const bots = Array.from({ length: options.players }, (_, index) => new Bot(options.origin, options.code, `bot-${run}-${index + 1}`, stats));
  const stop = new AbortController();
  // Every bot waits on this one signal (its pauses and its joins).
  setMaxListeners(options.players * 2 + 10, stop.signal);
  const endsAt = Date.now() + options.duration * 1000;
  const progress = progressPrinter(stats, endsAt);
  const ticker = setInterval(progress.tick, PROGRESS_EVERY_MS);
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130); // a second Ctrl-C: do not wait for the bots to leave
    stop.abort();
  });
  console.log(`crowd: ${options.players} bots → ${options.origin} for ${options.duration} s at ${options.rate} batches/s each (Ctrl-C to stop)`);

  // The duration also ends joins still waiting out a rate limit.
  const ending = setTimeout(() => stop.abort(), options.duration * 1000);
  const clicking: Promise<void>[] = [];
  let failure: unknown = null;
  await joinAll(bots, stop.signal, options.rate, clicking).catch((error: unknown) => {
    failure = error;
    stop.abort();
  });
  await pause(Math.max(0, endsAt - Date.now()), stop.signal);
  clearTimeout(ending);
  stop.abort();
  await Promise.all(clicking);
  await Promise.race([Promise.all(bots.map((bot) => bot.leave())), new Promise((resolve) => setTimeout(resolve, LEAVE_TIMEOUT_MS))]);
  clearInterval(ticker);
  progress.done();
  if (failure) console.error(`crowd: ${failure instanceof Error ? failure.message : String(failure)}`);
  return failure || stats.joined === 0 ? 1 : 0;
}

const parsed = parseOptions(process.argv.slice(2));
if (!parsed.ok) {
  console.error(`crowd: ${parsed.message}\n\n${USAGE}`);
  process.exit(2);
}
process.exit(await runCrowd(parsed.options));
