// Preloaded into each measured server by the bench (NODE_OPTIONS="--expose-gc --import <this>").
// On SIGUSR2 it runs the command the bench wrote to `<BENCH_PROBE_FILE>.command` and writes the
// answer to BENCH_PROBE_FILE:
//   {"op":"memory"}                  → process.memoryUsage() after two forced GCs
//   {"op":"profile-start"}           → starts the V8 CPU profiler (through node:inspector)
//   {"op":"profile-stop","file":…}   → stops it and writes the .cpuprofile to `file`
// Plain JavaScript because NODE_OPTIONS imports run before `--import tsx` registers TypeScript;
// Node 20 also refuses --cpu-prof in NODE_OPTIONS, hence the inspector.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const answerFile = process.env.BENCH_PROBE_FILE;
let session = null;

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
  return { ok: false };
}

if (answerFile) {
  process.on("SIGUSR2", () => {
    const answer = run(JSON.parse(readFileSync(`${answerFile}.command`, "utf8")));
    writeFileSync(`${answerFile}.tmp`, JSON.stringify(answer));
    renameSync(`${answerFile}.tmp`, answerFile);
  });
}
