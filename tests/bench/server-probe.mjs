// Preloaded into each measured server by the bench (NODE_OPTIONS="--expose-gc --import <this>").
// On SIGUSR2 it runs the command the bench wrote to `<BENCH_PROBE_FILE>.command` and writes the
// answer to BENCH_PROBE_FILE:
//   {"op":"memory"}                  → process.memoryUsage() after two forced GCs
//   {"op":"profile-start"}           → starts the V8 CPU profiler (through node:inspector)
//   {"op":"profile-stop","file":…}   → stops it and writes the .cpuprofile to `file`
//   {"op":"loop-start"}              → starts measuring how late the event loop runs timers
//   {"op":"loop-stop"}               → stops it: {maxMs, p99Ms, meanMs, gcMaxMs, gcMs} (the longest block
//                                      shows as max; the GC pauses in the window, the longest and all),
//                                      and where requests that carry the bench's x-bench-sent header
//                                      waited: to be accepted, and from accept (or sending) to the
//                                      node's request event
// It also stamps the answer to each request that carries x-bench-sent with the moment the server
// wrote its head (x-bench-answered, epoch ms): after the work the request asked for, so the bench
// counts the projector's lag from there rather than from the answer's arrival in its own busy loop.
// Plain JavaScript because NODE_OPTIONS imports run before `--import tsx` registers TypeScript;
// Node 20 also refuses --cpu-prof in NODE_OPTIONS, hence the inspector.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { ServerResponse } from "node:http";
import { Server } from "node:net";
import { Session } from "node:inspector";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";

const answerFile = process.env.BENCH_PROBE_FILE;
let session = null;
let loop = null;
let gc = null;
const NS_PER_MS = 1e6;
const ACCEPTED_AT = Symbol("accepted at");
const SLOW_MS = 1000;
let waits = null;

const epochMs = () => performance.timeOrigin + performance.now();

function newWaits() {
  return { acceptMaxMs: 0, acceptOver1s: 0, readMaxMs: 0, readOver1s: 0, timed: 0 };
}

// Every server's connections and requests pass through emit: the time a connection was accepted
// goes on its socket, and a request that says when it was sent is split into the wait to be
// accepted (a new connection) and the wait from there to the request event.
const emit = Server.prototype.emit;
Server.prototype.emit = function (event, ...args) {
  if (event === "connection") args[0][ACCEPTED_AT] = epochMs();
  else if (event === "request" && waits) timeRequestWaits(args[0]);
  return emit.call(this, event, ...args);
};

// Node writes every response head through writeHead (an implicit head too), so this sees both
// servers' answers however they are made.
const writeHead = ServerResponse.prototype.writeHead;
ServerResponse.prototype.writeHead = function (...args) {
  if (this.req?.headers["x-bench-sent"] !== undefined && !this.headersSent) {
    this.setHeader("x-bench-answered", String(epochMs()));
  }
  return writeHead.apply(this, args);
};

function timeRequestWaits(request) {
  const sent = Number(request.headers["x-bench-sent"]);
  const accepted = request.socket[ACCEPTED_AT];
  if (!Number.isFinite(sent) || typeof accepted !== "number") return;
  const now = epochMs();
  waits.timed += 1;
  const accept = accepted - sent;
  if (accept > 0) {
    waits.acceptMaxMs = Math.max(waits.acceptMaxMs, accept);
    if (accept > SLOW_MS) waits.acceptOver1s += 1;
  }
  const read = now - Math.max(sent, accepted);
  waits.readMaxMs = Math.max(waits.readMaxMs, read);
  if (read > SLOW_MS) waits.readOver1s += 1;
}

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
    waits = newWaits();
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
      requestWaits: waits,
    };
    [loop, gc, waits] = [null, null, null];
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
