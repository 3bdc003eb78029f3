// How a fuzz property runs: FUZZ_RUNS inputs (default 1 000) from FUZZ_SEED (default: a fresh
// seed, printed), FUZZ_PATH to replay one failing case; a failure says how to replay it.
import fc from "fast-check";
import { z } from "zod";

const digits = z
  .string()
  .regex(/^-?\d+$/)
  .transform(Number);
const settings = z.object({
  FUZZ_RUNS: z.union([z.literal(""), digits.pipe(z.number().int().positive())]).optional(),
  FUZZ_SEED: z.union([z.literal(""), digits.pipe(z.number().int())]).optional(),
  FUZZ_PATH: z.union([z.literal(""), z.string().regex(/^\d+(:\d+)*$/)]).optional(),
});

/** Inputs per property in `npm test`; raise with FUZZ_RUNS for a long run. */
export const DEFAULT_RUNS = 1000;
/** A counterexample can hold a 20 KiB string: the report keeps the start of it. */
const REPORT_CHARS = 4000;

export function fuzzRuns(): number {
  const runs = settings.parse(process.env).FUZZ_RUNS;
  return typeof runs === "number" ? runs : DEFAULT_RUNS;
}

/** fast-check's report, or the bare error if printing the counterexample itself fails. */
function reportOf<Ts>(details: fc.RunDetails<Ts>): string {
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  try {
    // The cause first: a large counterexample is cut at REPORT_CHARS and must not take it along.
    return `It failed with: ${cause}\n${fc.defaultReportMessage(details) ?? "the property failed"}`;
  } catch {
    return `the property failed after ${details.numRuns} inputs, with: ${cause}`;
  }
}

/**
 * Checks `property` and fails with fast-check's report plus the command that replays the case.
 * `file` and `name` are the test file and the test's name, for that command.
 */
export async function fuzz<Ts>(file: string, name: string, property: fc.IAsyncProperty<Ts>): Promise<void> {
  const env = settings.parse(process.env);
  const numRuns = fuzzRuns();
  const seed = typeof env.FUZZ_SEED === "number" ? env.FUZZ_SEED : undefined;
  const path = env.FUZZ_PATH ? env.FUZZ_PATH : undefined;
  const details = await fc.check(property, {
    numRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
  });
  console.log(`${name}: ${details.numRuns} inputs, seed ${details.seed}`);
  if (!details.failed) return;
  const replay = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ""} FUZZ_RUNS=${numRuns} npx vitest run ${file} -t ${JSON.stringify(name)}`;
  const report = reportOf(details);
  throw new Error(
    `${report.slice(0, REPORT_CHARS)}${report.length > REPORT_CHARS ? " …" : ""}\n\nReplay it: ${replay}\n`,
  );
}
