// The open-file limit: every socket is one descriptor in the bench and one in the server, so a run
// with 10 000 sockets needs more than many shells allow. When the soft limit is too low, the bench
// re-executes itself under `sh -c 'ulimit -n N'`; the servers it spawns inherit the raised limit.
// Past the hard limit (which only CAP_SYS_RESOURCE raises) socket levels are capped to what fits.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const RAISED = "BENCH_FD_LIMIT_RAISED";
/**
 * Descriptors besides the sockets, per process. Measured: the Clickbus server holds about 31
 * (stdio, the listener, SQLite's three files, epoll, Next's files), the bench about 100 at most
 * (stdio, IPC, the keep-alive pools of both targets); the rest is slack.
 */
const HEADROOM = 200;

function openFileLimits(): { soft: number; hard: number } {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  const parse = (value: string | undefined) =>
    value === "unlimited" || value === undefined ? Infinity : Number(value);
  return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
}

/** The most sockets one process can hold under the hard limit, in whole hundreds. */
export function socketsThatFit(): number {
  const { hard } = openFileLimits();
  return Number.isFinite(hard) ? Math.floor((hard - HEADROOM) / 100) * 100 : Infinity;
}

/**
 * Socket levels (of the `idle` or `sweep` scenario) that fit under the hard limit: a level above
 * it becomes the largest that fits, and `note` says so (the table then names the level measured).
 */
export function fitLevels(scenario: string, levels: readonly number[], note: (message: string) => void): number[] {
  const most = socketsThatFit();
  const fitted = [...new Set(levels.map((level) => Math.min(level, most)))];
  for (const level of levels.filter((candidate) => candidate > most)) {
    note(
      `${scenario} ${level} needs ${level + HEADROOM} open files per process but the hard limit is ${most + HEADROOM}: measuring ${most} instead`,
    );
  }
  return fitted;
}

/**
 * Makes sure `sockets` descriptors fit. Returns null when they do (go on), or the promise of the
 * exit code of the re-executed bench (the caller exits with it).
 */
export function ensureOpenFiles(sockets: number): Promise<number> | null {
  const needed = sockets + HEADROOM;
  const { soft, hard } = openFileLimits();
  if (soft >= needed) return null;
  if (process.env[RAISED] || hard < needed)
    throw new Error(
      `the open-file limit is ${soft} (hard ${hard}); ${needed} are needed for ${sockets} sockets. Raise the hard limit (e.g. \`ulimit -Hn ${needed}\` as root) or use smaller sizes.`,
    );
  const script = `ulimit -n ${needed}; exec "$0" "$@"`;
  const child = spawn("sh", ["-c", script, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [RAISED]: "1" },
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
