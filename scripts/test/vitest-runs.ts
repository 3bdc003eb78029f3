// The Vitest steps of `npm test` (scripts/test.ts): the unit and integration suites on SQLite, and
// the integration suites again on PostgreSQL beside them, each read from its JSON report.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { dropStaleTestDatabases } from "../../tests/support/postgres-databases";
import { postgresProblem, TEST_POSTGRES_URL } from "../../tests/support/postgres-server";
import { redactUrl } from "../../lib/runtime/redact-url";
import { isE2e } from "./arguments";
import { banner, bin, firstLine, readJson, relative, run, type Result, type Step } from "./steps";

/** How old a leftover `clickbus_test_*` database must be before a run drops it. */
const STALE_DATABASE_MS = 3 * 60 * 60 * 1000;

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
export async function vitestRuns(steps: Step[], files: string[], scratch: string): Promise<Result[]> {
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
