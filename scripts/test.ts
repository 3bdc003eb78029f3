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
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isE2e, parseArgs } from "./test/arguments";
import { playwright } from "./test/playwright-run";
import { bin, check, type Result } from "./test/steps";
import { summarize } from "./test/summary";
import { vitestRuns } from "./test/vitest-runs";

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
