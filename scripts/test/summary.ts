// The summary `npm test` ends with (scripts/test.ts): a line per step, its failures, the totals.
import { banner, type Result } from "./steps";

function describe(result: Result): string {
  if (result.step === "typecheck" || result.step === "lint" || result.step === "build") {
    return result.failed ? `failed (${result.note ?? "error"})` : "passed";
  }
  const parts = [`${result.passed} passed`, `${result.failed} failed`];
  if (result.skipped) parts.push(`${result.skipped} skipped`);
  if (result.note) parts.push(`(${result.note})`);
  return parts.join(", ");
}

export function summarize(results: Result[]): { passed: number; failed: number } {
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
