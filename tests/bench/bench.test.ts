// Keeps `npm run bench` working: a tiny run of every scenario against both servers must end with
// exit code 0 (nothing lost or duplicated) and write a result whose checks all passed. It asserts
// no time: the figures are only read to see that each scenario produced them.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { z } from "zod";
import { REDIS_URL } from "../cluster/cluster-support";

const out = mkdtempSync(join(tmpdir(), "clickbus-bench-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const TINY = [
  "--users=8",
  "--warmup=10",
  "--fanout-watchers=20",
  "--fanout-seconds=0.5",
  "--throughput-max=4",
  "--throughput-seconds=0.5",
];
const TINY_SOCKETS = [
  "--idle=50",
  "--catchup-sockets=20",
  "--catchup-missed=30",
  "--room-guests=10",
  "--room-seconds=1",
  // The sweep's node joins the Redis the cluster tests use (tests/cluster/cluster-support.ts).
  "--sweep=30",
  "--sweep-users=10",
  `--redis=${REDIS_URL}`,
];

const result = z.object({
  rows: z.array(
    z.object({
      scenario: z.string(),
      metric: z.string(),
      check: z.string(),
      clickbus: z.number().nullable(),
      baseline: z.number().nullable().optional(),
    }),
  ),
});

it("runs every scenario on Clickbus and the baseline and finds nothing lost or duplicated", async () => {
  const bench = spawn(
    process.execPath,
    ["--import", "tsx", "tests/bench/run.ts", ...TINY, ...TINY_SOCKETS, `--out=${out}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  bench.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  bench.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => bench.once("exit", resolve));
  expect(code, output).toBe(0);

  const [file] = readdirSync(out).filter((name) => name.endsWith(".json"));
  const parsed = result.parse(JSON.parse(readFileSync(join(out, file ?? "missing"), "utf8")));
  const firstRows = parsed.rows.filter((row) => row.scenario !== "");
  expect(firstRows.map((row) => row.scenario)).toEqual([
    "idle 50",
    "fanout W=20 api",
    "fanout W=20 action",
    "throughput api",
    "throughput action",
    "catch-up (baseline: one emit each)",
    "catch-up (baseline: one array)",
    "room N=10 action",
    "room N=10 api",
    "sweep 30 of 10 users",
  ]);
  // Each scenario measured both servers; the sweep, which the baseline lacks, ran on Clickbus.
  for (const row of firstRows) expect([typeof row.clickbus, typeof row.baseline]).toEqual(["number", "number"]);
  expect(parsed.rows.find((row) => row.metric === "sweeps in the window")?.clickbus).toBeGreaterThan(0);
  const checks = parsed.rows.map((row) => row.check).filter(Boolean);
  expect(checks.length).toBeGreaterThan(0);
  expect(checks.every((check) => check === "ok")).toBe(true);
}, 180_000);
