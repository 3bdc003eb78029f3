// `npm run bench`: starts the production build of Clickbus (fresh database, loopback) and the bare
// Socket.IO baseline, runs every chosen scenario against both in turn, prints a table with the
// Clickbus/baseline ratio of each figure and writes the full results as JSON. Exits 1 when any
// notification was lost, duplicated or unexpected; times are reported, never asserted.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startBaseline, type TargetOptions } from "./baseline-target";
import { startClickbus } from "./clickbus-target";
import { ensureOpenFiles, fitLevels } from "./fd-limit";
import { parseFlags, usage, type Flags, type ScenarioName } from "./flags";
import { benchDatabase, type BenchDatabase } from "./bench-database";
import { describeMachine, machine, renderTable, writeJson } from "./report";
import { tableRows, targetChecks, type Results, type TargetResults } from "./rows";
import { runCatchup } from "./scenarios/catchup";
import { runFanout } from "./scenarios/fanout";
import { runIdle } from "./scenarios/idle";
import { runRoom } from "./scenarios/room";
import { runSweep } from "./scenarios/sweep";
import { onSweepingNode } from "./sweeping-node";
import { runThroughput } from "./scenarios/throughput";
import { WatcherGroup } from "./sockets";
import type { Target } from "./target";
import { now, waitQuiet } from "./clock";
import { warmUp } from "./warmup";

const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

function socketsNeeded(flags: Flags): number {
  const scenario: Record<ScenarioName, number> = {
    idle: Math.max(...flags.idle),
    fanout: Math.max(...flags["fanout-watchers"]),
    throughput: flags["throughput-watchers"],
    catchup: flags["catchup-sockets"] + 1,
    room: Math.max(...flags["room-guests"]) + 1,
    sweep: Math.max(...flags.sweep),
  };
  return Math.max(...flags.scenarios.map((name) => scenario[name]));
}

async function withGroup<T>(target: Target, flags: Flags, work: (group: WatcherGroup) => Promise<T>): Promise<T> {
  const group = new WatcherGroup(target, flags["connect-concurrency"]);
  try {
    return await work(group);
  } finally {
    group.close();
    await waitQuiet(() => target.cpuSeconds());
  }
}

async function runScenario(
  name: ScenarioName,
  target: Target,
  flags: Flags,
  options: TargetOptions,
): Promise<Partial<TargetResults>> {
  const concurrency = flags["connect-concurrency"];
  switch (name) {
    case "idle":
      return { idle: await runIdle(target, { levels: flags.idle, concurrency }) };
    case "fanout":
      return {
        fanout: await withGroup(target, flags, (group) =>
          runFanout(target, group, {
            watchers: flags["fanout-watchers"],
            players: flags["fanout-players"],
            rate: flags["fanout-rate"],
            seconds: flags["fanout-seconds"],
            paths: flags.paths,
          }),
        ),
      };
    case "throughput":
      return {
        throughput: await withGroup(target, flags, async (group) => {
          await group.grow(flags["throughput-watchers"]);
          const options = {
            start: flags["throughput-start"],
            max: flags["throughput-max"],
            seconds: flags["throughput-seconds"],
            p99LimitMs: flags["p99-limit"],
            paths: flags.paths,
          };
          return runThroughput(target, group, options);
        }),
      };
    case "catchup": {
      const options = {
        sockets: flags["catchup-sockets"],
        missed: flags["catchup-missed"],
        concurrency,
        reconnectConcurrency: flags["catchup-concurrency"],
      };
      const catchup = await runCatchup(target, options);
      // The baseline also replays as one array per socket, so the ratio to Clickbus is honest.
      if (target.name !== "baseline") return { catchup };
      return { catchup, catchupArray: await runCatchup(target, { ...options, replayInAck: true }) };
    }
    case "room":
      return {
        room: await runRoom(target, {
          sizes: flags["room-guests"],
          paths: flags.paths,
          taps: flags["room-taps"],
          seconds: flags["room-seconds"],
          concurrency,
        }),
      };
    case "sweep": {
      const sweep = { levels: flags.sweep, users: flags["sweep-users"], concurrency };
      if (target.name === "baseline") return { sweep: await runSweep(target, sweep) };
      const where = { redisUrl: flags.redis, database: flags.database };
      return {
        sweep: await onSweepingNode(options, where, (node) => runSweep(node.target, sweep, node.metricsUrl)),
      };
    }
  }
}

/** Starts every target into `targets` (so the caller can stop those that did start). */
async function startTargets(flags: Flags, options: TargetOptions, results: Results, targets: Target[]): Promise<void> {
  for (const name of flags.targets) {
    const started = now();
    log(`starting ${name}`);
    const target = await (name === "clickbus" ? startClickbus(options) : startBaseline(options));
    targets.push(target);
    await warmUp(target, flags.paths, flags.warmup);
    results[name] = { setupSeconds: (now() - started) / 1000 };
  }
}

async function runAll(
  flags: Flags,
  scratchDir: string,
  profileDir: string | undefined,
  database: BenchDatabase,
): Promise<Results> {
  const results: Results = {};
  const options: TargetOptions = {
    players: Math.max(flags.users, flags["fanout-players"]),
    maxConnections: flags["throughput-max"] + 16,
    scratchDir,
    env: database.env,
  };
  const targets: Target[] = [];
  try {
    await startTargets(flags, options, results, targets);
    for (const scenario of flags.scenarios) {
      for (const target of targets) {
        log(`${target.name}: ${scenario}`);
        const started = now();
        if (profileDir) await target.probe.startProfile();
        Object.assign(results[target.name] ?? {}, await runScenario(scenario, target, flags, options));
        if (profileDir) await target.probe.stopProfile(join(profileDir, `${target.name}-${scenario}.cpuprofile`));
        log(`${target.name}: ${scenario} done in ${((now() - started) / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
  }
  return results;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help")) {
    console.log(usage());
    return 0;
  }
  const notes: string[] = [];
  const parsed = parseFlags(argv);
  const note = (message: string) => notes.push(message);
  const flags: Flags = {
    ...parsed,
    idle: fitLevels("idle", parsed.idle, note),
    sweep: fitLevels("sweep", parsed.sweep, note),
  };
  const reexecuted = ensureOpenFiles(socketsNeeded(flags));
  if (reexecuted) return reexecuted;
  if (!existsSync(join(".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");

  const startedAt = new Date();
  const host = machine();
  const scratchDir = mkdtempSync(join(tmpdir(), "clickbus-bench-"));
  const profileDir = flags["cpu-prof"]
    ? resolve(flags.out, `profiles-${startedAt.toISOString().replace(/[:.]/g, "-")}`)
    : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  log(`machine: ${describeMachine(host)}`);
  const database = await benchDatabase(flags.database);
  log(`database: ${database.engine}`);
  for (const note of notes) log(note);
  try {
    const results = await runAll(flags, scratchDir, profileDir, database);
    const rows = tableRows(results, {
      idle: flags.idle,
      watchers: flags["fanout-watchers"],
      paths: flags.paths,
      rooms: flags["room-guests"],
      sweep: flags.sweep,
    });
    const durationSeconds = (Date.now() - startedAt.getTime()) / 1000;
    const file = writeJson(flags.out, startedAt, {
      startedAt: startedAt.toISOString(),
      durationSeconds,
      machine: host,
      database: database.engine,
      flags: { ...flags, database: database.engine },
      notes,
      rows,
      targets: targetChecks(results),
      results,
    });
    console.log(
      `\nClickbus bench, ${startedAt.toISOString()}, ${describeMachine(host)}, ${durationSeconds.toFixed(0)} s\nClickbus on ${database.engine}\n`,
    );
    console.log(renderTable(rows));
    if (notes.length > 0) console.log(`\n${notes.map((note) => `Note: ${note}.`).join("\n")}`);
    const targets = targetChecks(results);
    if (targets.length > 0)
      console.log(`\nTargets (issues #7, #12, #20 and #22):\n${targets.map((line) => `  ${line}`).join("\n")}`);
    console.log(`\nJSON: ${file}${profileDir ? `\nCPU profiles: ${profileDir}` : ""}`);
    const failed = rows.filter((row) => row.check !== "" && row.check !== "ok");
    if (failed.length > 0)
      console.error(`\nNotification loss or duplicates in: ${failed.map((row) => row.scenario).join(", ")}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
    await database.drop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
