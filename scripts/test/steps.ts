// What every step of `npm test` shares (scripts/test.ts): the steps, one line of the summary per
// step, and running a command with its output shown or kept for later.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const bin = (name: string) => join(root, "node_modules", ".bin", name);

export const STEPS = ["typecheck", "lint", "build", "vitest", "postgres", "playwright"] as const;
export type Step = (typeof STEPS)[number];

/** One line of the final summary; checks count as one test each, suites as their tests. */
export type Result = {
  step: Step;
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
  failures: string[];
};

export function banner(title: string): void {
  console.log(`\n━━ ${title} ${"━".repeat(Math.max(0, 70 - title.length))}`);
}

/**
 * Runs a command and resolves with its exit code (signals count as 1): with inherited stdio, or
 * into `logFile` (a run beside another, printed when both are done).
 */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  logFile?: string,
): Promise<number> {
  return new Promise((resolve) => {
    const output = logFile === undefined ? "inherit" : openSync(logFile, "w");
    const child = spawn(command, args, {
      cwd: root,
      env,
      stdio: output === "inherit" ? "inherit" : ["ignore", output, output],
    });
    if (typeof output === "number") closeSync(output);
    child.once("error", (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(1);
    });
    child.once("exit", (code) => resolve(code ?? 1));
  });
}

/** A reporter's JSON file, or undefined when it is missing or cut short (a crashed runner). */
export function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

export async function check(step: Step, title: string, command: string, args: string[]): Promise<Result> {
  banner(title);
  const code = await run(command, args);
  return code === 0
    ? { step, passed: 1, failed: 0, skipped: 0, failures: [] }
    : { step, passed: 0, failed: 1, skipped: 0, note: `exit code ${code}`, failures: [] };
}

export function relative(path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

export function firstLine(text: string | undefined): string {
  // Strips ANSI colour codes from reporter text.
  return (
    (text ?? "")
      .replace(/\u001b\[[0-9;]*m/g, "")
      .trim()
      .split("\n")[0] ?? ""
  );
}
