// Builds the production bundle when it is missing or older than the sources (demo and cluster).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["app", "lib", "db", "public", "next.config.ts", "package-lock.json", "postcss.config.mjs"];
const BUILD_MARKER = join(".next", "BUILD_ID");

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stat.mtimeMs);
}

/** True when there is no production build at all (its age is not checked). */
export function buildIsMissing(): boolean {
  return !existsSync(BUILD_MARKER);
}

/** Exits the process with the build's status when the build fails. */
export function ensureBuild(): void {
  const builtAt = buildIsMissing() ? 0 : statSync(BUILD_MARKER).mtimeMs;
  if (builtAt >= Math.max(...SOURCES.map(newestChange))) return;
  console.log("Building Clickbus (first run, or the sources changed)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
