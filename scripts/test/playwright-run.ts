// The Playwright step of `npm test` (scripts/test.ts): finds a Chromium, runs the browser specs and
// reads their JSON report.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { z } from "zod";
import { resolveChromium } from "../../tests/support/chromium";
import { banner, bin, firstLine, readJson, root, run, type Result } from "./steps";

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

export async function playwright(files: string[], scratch: string): Promise<Result> {
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
