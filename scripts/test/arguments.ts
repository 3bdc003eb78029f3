// The arguments of `npm test` (scripts/test.ts): which steps run, and which test files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { commaList } from "../../lib/runtime/comma-list";
import { root, STEPS, type Step } from "./steps";

/** The help text is the opening comment block of the script itself. */
const HELP_FILE = join(root, "scripts", "test.ts");

const stepList = commaList.pipe(z.array(z.enum(STEPS)).min(1));

export function parseArgs(argv: string[]): { steps: Step[]; files: string[] } {
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

export function isE2e(file: string): boolean {
  return /(^|[\\/])tests[\\/]e2e[\\/]/.test(file) || file.endsWith(".spec.ts");
}

function usage(problem?: string): never {
  // The help text is this file's opening comment block.
  const lines = readFileSync(HELP_FILE, "utf8").split("\n");
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
