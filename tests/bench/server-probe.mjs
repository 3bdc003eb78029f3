// Preloaded into each measured server by the bench (NODE_OPTIONS="--expose-gc --import <this>").
// On SIGUSR2 it runs the command the bench wrote to `<BENCH_PROBE_FILE>.command` and writes the
// answer to BENCH_PROBE_FILE:
//   {"op":"memory"}                  → process.memoryUsage() after two forced GCs
//   {"op":"profile-start"}           → starts the V8 CPU profiler (through node:inspector)
//   {"op":"profile-stop","file":…}   → stops it and writes the .cpuprofile to `file`
//   {"op":"loop-start"}              → starts measuring how late the event loop runs timers
//   {"op":"loop-stop"}               → stops it: {maxMs, p99Ms, meanMs, gcMaxMs, gcMs} (the longest block
//                                      shows as max; the GC pauses in the window, the longest and all)
// Plain JavaScript because NODE_OPTIONS imports run before `--import tsx` registers TypeScript;
// Node 20 also refuses --cpu-prof in NODE_OPTIONS, hence the inspector.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

const answerFile = process.env.BENCH_PROBE_FILE;
let session = null;
let loop = null;
let gc = null;
const NS_PER_MS = 1e6;

function run(command) {
  if (command.op === "memory") {
    globalThis.gc?.();
    globalThis.gc?.();
    return process.memoryUsage();
  }
  if (command.op === "profile-start") {
    session = new Session();
    session.connect();
    session.post("Profiler.enable");
    session.post("Profiler.start");
    return { ok: true };
  }
  if (command.op === "profile-stop" && session) {
    // A same-thread inspector session answers synchronously.
    let written = false;
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(command.file, JSON.stringify(result.profile));
      written = !error;
    });
    session.disconnect();
    session = null;
    return { ok: written };
  }
  if (command.op === "loop-start") {
    // A 2 ms timer: finer would itself load the loop it measures.
    loop = monitorEventLoopDelay({ resolution: 2 });
    loop.enable();
    const pauses = { maxMs: 0, totalMs: 0, observer: null };
    pauses.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        pauses.maxMs = Math.max(pauses.maxMs, entry.duration);
        pauses.totalMs += entry.duration;
      }
    });
    pauses.observer.observe({ entryTypes: ["gc"] });
    gc = pauses;
    return { ok: true };
  }
  if (command.op === "loop-stop" && loop) {
    loop.disable();
    gc.observer.disconnect();
    const answer = {
      maxMs: loop.max / NS_PER_MS,
      p99Ms: loop.percentile(99) / NS_PER_MS,
      meanMs: loop.mean / NS_PER_MS,
      gcMaxMs: gc.maxMs,
      gcMs: gc.totalMs,
    };
    [loop, gc] = [null, null];
    return answer;
  }
  return { ok: false };
}

if (answerFile) {
  process.on("SIGUSR2", () => {
    const answer = run(JSON.parse(readFileSync(`${answerFile}.command`, "utf8")));
    writeFileSync(`${answerFile}.tmp`, JSON.stringify(answer));
    renameSync(`${answerFile}.tmp`, answerFile);
  });
}
