// The open-file limit: every socket is one descriptor in the bench and one in the server, so a run
// with 10 000 sockets needs more than many shells allow. When the soft limit is too low, the bench
// re-executes itself under `sh -c 'ulimit -n N'`; the servers it spawns inherit the raised limit.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const RAISED = "BENCH_FD_LIMIT_RAISED";
/** Descriptors besides the sockets: HTTP connections, SQLite, Next's files, stdio. */
const HEADROOM = 1024;

function openFileLimits(): { soft: number; hard: number } {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  const parse = (value: string | undefined) => (value === "unlimited" || value === undefined ? Infinity : Number(value));
  return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
}

/**
 * Makes sure `sockets` descriptors fit. Returns null when they do (go on), or the promise of the
 * exit code of the re-executed bench (the caller exits with it).
 */
export function ensureOpenFiles(sockets: number): Promise<number> | null {
  const needed = sockets + HEADROOM;
  const { soft, hard } = openFileLimits();
  if (soft >= needed) return null;
  if (process.env[RAISED]) throw new Error(`the open-file limit is ${soft} (hard ${hard}); ${needed} are needed for ${sockets} sockets. Raise the hard limit (e.g. \`ulimit -Hn ${needed}\` as root) or use smaller sizes.`);
  const script = `ulimit -n ${needed} 2>/dev/null || ulimit -n ${Number.isFinite(hard) ? hard : needed}; exec "$0" "$@"`;
  const child = spawn("sh", ["-c", script, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [RAISED]: "1" },
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
