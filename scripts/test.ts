// `npm test`: type-check, lint, build, Vitest, Playwright (finding or installing a Chromium
// first), then a per-step summary and, as the very last line, `N passed, N failed`.
//
// Usage:
//   npm test                                        every step
//   npm test -- --only vitest tests/bus/handshake.test.ts
//   npm test -- --only build,playwright tests/e2e/auth.spec.ts
//   npm test -- tests/db/migrations.test.ts         files alone pick their runner (e2e → Playwright)
// Steps for --only: typecheck, lint, build, vitest, postgres, playwright (comma-separated). File
// arguments are passed to the test runners as filters. Vitest and Playwright need a build (`npm
// run build`). `postgres` is the integration suites again on PostgreSQL (vitest.postgres.config.ts),
// run beside `vitest`; it is skipped with a message when no server answers, unless
// REQUIRE_POSTGRES=1.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { resolveChromium } from "../tests/support/chromium";
import { dropStaleTestDatabases } from "../tests/support/postgres-databases";
import { postgresProblem, TEST_POSTGRES_URL } from "../tests/support/postgres-server";
import { redactUrl } from "../lib/runtime/redact-url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

/** How old a leftover `clickbus_test_*` database must be before a run drops it. */
const STALE_DATABASE_MS = 3 * 60 * 60 * 1000;
const STEPS = ["typecheck", "lint", "build", "vitest", "postgres", "playwright"] as const;
type Step = (typeof STEPS)[number];

/** One line of the final summary; checks count as one test each, suites as their tests. */
type Result = { step: Step; passed: number; failed: number; skipped: number; note?: string; failures: string[] };

// ---------------------------------------------------------------------------------------------
// Arguments

const stepList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(STEPS)).min(1));

function parseArgs(argv: string[]): { steps: Step[]; files: string[] } {
  const files: string[] = [];
  let only: Step[] | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? "";
    if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? argv[(index += 1)] : arg.slice("--only=".length);
      const parsed = stepList.safeParse(value ?? "");
      if (!parsed.success) usage(`--only takes a comma-separated list of: ${STEPS.join(", ")}`);
      only = parsed.data;
    } else if (arg === "--help" || arg === "-h") {
      usage();
    } else if (arg.startsWith("-")) {
      usage(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (only) return { steps: STEPS.filter((step) => only.includes(step)), files };
  if (files.length === 0) return { steps: [...STEPS], files };
  // Files without --only: run just the runner(s) those files belong to.
  const steps = new Set<Step>(files.flatMap((file): Step[] => (isE2e(file) ? ["playwright"] : ["vitest", "postgres"])));
  return { steps: STEPS.filter((step) => steps.has(step)), files };
}

function isE2e(file: string): boolean {
  return /(^|[\\/])tests[\\/]e2e[\\/]/.test(file) || file.endsWith(".spec.ts");
}

function usage(problem?: string): never {
  // The help text is this file's opening comment block.
  const lines = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");
  const end = lines.findIndex((line) => !line.startsWith("//"));
  const text = lines
    .slice(0, end)
    .map((line) => line.slice(3))
    .join("\n");
  if (!problem) {
    console.log(text);
    process.exit(0);
  }
  console.error(`scripts/test.ts: ${problem}\n\n${text}`);
  // Wrong usage is a failed run, reported in the same one-line shape as any other.
  console.log("0 passed, 1 failed");
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Running commands

function banner(title: string): void {
  console.log(`\n━━ ${title} ${"━".repeat(Math.max(0, 70 - title.length))}`);
}

/**
 * Runs a command and resolves with its exit code (signals count as 1): with inherited stdio, or
 * into `logFile` (a run beside another, printed when both are done).
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, logFile?: string): Promise<number> {
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
function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

async function check(step: Step, title: string, command: string, args: string[]): Promise<Result> {
  banner(title);
  const code = await run(command, args);
  return code === 0
    ? { step, passed: 1, failed: 0, skipped: 0, failures: [] }
    : { step, passed: 0, failed: 1, skipped: 0, note: `exit code ${code}`, failures: [] };
}

// ---------------------------------------------------------------------------------------------
// Vitest

const vitestReport = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
  numFailedTestSuites: z.number(),
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().optional(),
      assertionResults: z.array(z.object({ fullName: z.string(), status: z.string() })),
    }),
  ),
});

type VitestRun = { step: "vitest" | "postgres"; config?: string; label?: string; logFile?: string };

async function vitest(files: string[], scratch: string, options: VitestRun = { step: "vitest" }): Promise<Result> {
  const { step, label = "" } = options;
  const output = join(scratch, `${step}.json`);
  const config = options.config === undefined ? [] : ["--config", options.config];
  const code = await run(
    bin("vitest"),
    ["run", ...config, "--reporter=default", "--reporter=json", `--outputFile.json=${output}`, ...files],
    process.env,
    options.logFile,
  );
  const parsed = vitestReport.safeParse(readJson(output));
  if (!parsed.success) {
    return { step, passed: 0, failed: 1, skipped: 0, note: `no readable report (exit code ${code})`, failures: [] };
  }
  const report = parsed.data;
  const failures = report.testResults.flatMap((file) => {
    const failedTests = file.assertionResults
      .filter((test) => test.status === "failed")
      .map((test) => `${label}${relative(file.name)} › ${test.fullName}`);
    // A file that fails to load has no failed tests, only a failed status: count it once.
    return failedTests.length === 0 && file.status === "failed"
      ? [`${label}${relative(file.name)} (did not run: ${firstLine(file.message)})`]
      : failedTests;
  });
  const loadFailures = failures.length - report.numFailedTests;
  const failed = report.numFailedTests + Math.max(0, loadFailures);
  return {
    step,
    passed: report.numPassedTests,
    // Exit code 1 with nothing counted as failed (e.g. no test files matched) is still a failure.
    failed: failed === 0 && code !== 0 ? 1 : failed,
    skipped: report.numPendingTests + report.numTodoTests,
    note: failed === 0 && code !== 0 ? `exit code ${code}` : undefined,
    failures,
  };
}

/**
 * The integration suites on PostgreSQL, beside the SQLite run (its output is printed after it):
 * none of them is CPU-bound for long, and in sequence the two would add minutes to every run.
 */
async function postgres(files: string[], scratch: string): Promise<Result | undefined> {
  const problem = await postgresProblem();
  if (problem !== undefined) {
    const where = `no PostgreSQL answers at ${redactUrl(TEST_POSTGRES_URL)} (${problem})`;
    if (process.env.REQUIRE_POSTGRES === "1")
      return { step: "postgres", passed: 0, failed: 1, skipped: 0, note: where, failures: [] };
    console.log(`\nSkipping the PostgreSQL run: ${where}. REQUIRE_POSTGRES=1 makes this a failure.`);
    return undefined;
  }
  // A run killed half-way could not drop its databases: this run does, once they are old enough
  // that no run still going (a CI run takes at most 90 minutes) can own them.
  const stale = await dropStaleTestDatabases(STALE_DATABASE_MS);
  if (stale.length > 0) console.log(`Dropped ${stale.length} test databases left by earlier runs.`);
  // Files named on the command line may all lie outside the PostgreSQL run's suites.
  const filters = files.length > 0 ? ["--passWithNoTests", ...files] : [];
  return vitest(filters, scratch, {
    step: "postgres",
    config: "vitest.postgres.config.ts",
    label: "[postgres] ",
    logFile: join(scratch, "postgres.log"),
  });
}

/** `vitest` and `postgres` together, when both are asked for. */
async function vitestRuns(steps: Step[], files: string[], scratch: string): Promise<Result[]> {
  const unitFiles = files.filter((file) => !isE2e(file));
  const both = steps.includes("vitest") && steps.includes("postgres");
  banner(
    both
      ? "Vitest (unit + integration), and the integration suites on PostgreSQL beside it"
      : steps.includes("vitest")
        ? "Vitest (unit + integration)"
        : "Vitest on PostgreSQL",
  );
  const runs = await Promise.all([
    steps.includes("vitest") ? vitest(unitFiles, scratch) : undefined,
    steps.includes("postgres") ? postgres(unitFiles, scratch) : undefined,
  ]);
  const log = join(scratch, "postgres.log");
  if (existsSync(log)) {
    banner("Vitest on PostgreSQL (its output)");
    process.stdout.write(readFileSync(log, "utf8"));
  }
  return runs.filter((result): result is Result => result !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Playwright

const playwrightTest = z.object({ status: z.string() });
type PlaywrightSpec = { title: string; file: string; line?: number; tests: z.infer<typeof playwrightTest>[] };
type PlaywrightSuite = { specs?: PlaywrightSpec[]; suites?: PlaywrightSuite[] };
const playwrightSpec: z.ZodType<PlaywrightSpec> = z.object({
  title: z.string(),
  file: z.string(),
  line: z.number().optional(),
  tests: z.array(playwrightTest),
});
const playwrightSuite: z.ZodType<PlaywrightSuite> = z.lazy(() =>
  z.object({ specs: z.array(playwrightSpec).optional(), suites: z.array(playwrightSuite).optional() }),
);
const playwrightReport = z.object({
  suites: z.array(playwrightSuite),
  errors: z.array(z.object({ message: z.string().optional() })),
  stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number(), skipped: z.number() }),
});

function failedSpecs(suites: PlaywrightSuite[]): string[] {
  return suites.flatMap((suite) => [
    // "unexpected" and "flaky" are the outcomes that did not go as written.
    ...(suite.specs ?? [])
      .filter((spec) => spec.tests.some((test) => test.status === "unexpected" || test.status === "flaky"))
      .map((spec) => `tests/e2e/${spec.file}:${spec.line ?? 0} › ${spec.title}`),
    ...failedSpecs(suite.suites ?? []),
  ]);
}

/**
 * No Chromium yet: Playwright's own download (no root needed). A system package manager is the
 * machine's business (.ci/run installs Debian's chromium as root), so it is only suggested.
 */
function installChromium(): string | null {
  const command = "npx playwright install chromium";
  console.log(`No Chromium found (CHROMIUM_PATH, /usr/bin/chromium, Playwright's own). Installing: ${command}`);
  spawnSync("sh", ["-c", command], { cwd: root, stdio: "inherit" });
  const found = resolveChromium();
  if (!found)
    console.error(
      `\nStill no Chromium. Install one (on Debian: apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium executable.`,
    );
  return found;
}

async function playwright(files: string[], scratch: string): Promise<Result> {
  banner("Playwright (browser)");
  const chromium = resolveChromium() ?? installChromium();
  if (!chromium) return { step: "playwright", passed: 0, failed: 1, skipped: 0, note: "no Chromium", failures: [] };
  console.log(`Chromium: ${chromium}`);

  const output = join(scratch, "playwright.json");
  const env = { ...process.env, CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: output };
  const code = await run(bin("playwright"), ["test", "--reporter=list,json", ...files], env);
  const parsed = playwrightReport.safeParse(readJson(output));
  if (!parsed.success) {
    return {
      step: "playwright",
      passed: 0,
      failed: 1,
      skipped: 0,
      note: `no readable report (exit code ${code})`,
      failures: [],
    };
  }
  const { stats, errors, suites } = parsed.data;
  const failures = [
    ...failedSpecs(suites),
    ...errors.map((error) => `error outside tests: ${firstLine(error.message)}`),
  ];
  const failed = stats.unexpected + stats.flaky + errors.length;
  return {
    step: "playwright",
    passed: stats.expected,
    failed: failed === 0 && code !== 0 ? 1 : failed,
    skipped: stats.skipped,
    note: failed === 0 && code !== 0 ? `exit code ${code}` : undefined,
    failures,
  };
}

// ---------------------------------------------------------------------------------------------
// Summary

function relative(path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

function firstLine(text: string | undefined): string {
  // Strips ANSI colour codes from reporter text.
  return (
    (text ?? "")
      .replace(/\u001b\[[0-9;]*m/g, "")
      .trim()
      .split("\n")[0] ?? ""
  );
}

function describe(result: Result): string {
  if (result.step === "typecheck" || result.step === "lint" || result.step === "build") {
    return result.failed ? `failed (${result.note ?? "error"})` : "passed";
  }
  const parts = [`${result.passed} passed`, `${result.failed} failed`];
  if (result.skipped) parts.push(`${result.skipped} skipped`);
  if (result.note) parts.push(`(${result.note})`);
  return parts.join(", ");
}

function summarize(results: Result[]): { passed: number; failed: number } {
  banner("Summary");
  for (const result of results) {
    console.log(`  ${result.step.padEnd(11)} ${describe(result)}`);
    for (const failure of result.failures.slice(0, 20)) console.log(`      ✗ ${failure}`);
    if (result.failures.length > 20) console.log(`      … and ${result.failures.length - 20} more`);
  }
  return {
    passed: results.reduce((sum, result) => sum + result.passed, 0),
    failed: results.reduce((sum, result) => sum + result.failed, 0),
  };
}

async function main(): Promise<void> {
  const { steps, files } = parseArgs(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), "clickbus-test-run-"));
  const results: Result[] = [];
  try {
    // Every step runs even after a failure, so one run shows everything that is wrong.
    for (const step of steps) {
      if (step === "typecheck") results.push(await check(step, "Type-check (tsc --noEmit)", bin("tsc"), ["--noEmit"]));
      if (step === "lint")
        results.push(
          await check(step, "Lint (eslint, prettier, layers, floating promises)", "sh", [
            "-c",
            "npm run --silent lint && npm run --silent lint:promises",
          ]),
        );
      if (step === "build") results.push(await check(step, "Build (next build)", "npm", ["run", "--silent", "build"]));
      if (step === "vitest" || (step === "postgres" && !steps.includes("vitest")))
        results.push(...(await vitestRuns(steps, files, scratch)));
      if (step === "playwright") results.push(await playwright(files.filter(isE2e), scratch));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const { passed, failed } = summarize(results);
  // The contract (README.md#quick-start): this is the last line of output.
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
