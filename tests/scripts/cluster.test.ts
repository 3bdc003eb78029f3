// `npm run cluster`: starts N nodes on consecutive ports over one database, prefixes each
// node's output, and stops every node on Ctrl-C (SIGINT).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { until } from "../cluster/cluster-support";

const dataDir = mkdtempSync(join(tmpdir(), "clickbus-cluster-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * The lowest port the kernel hands out for outgoing connections. A range chosen above it can be
 * taken by any test's client socket in the seconds before the node listens (it happened: node1's
 * port was in use), so the range is chosen below it.
 */
function ephemeralLow(): number {
  try {
    const range = /^(\d+)\s/.exec(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8"));
    return range?.[1] === undefined ? 32_768 : Number(range[1]);
  } catch {
    return 32_768; // not Linux: below every system's default range
  }
}

/** A base port with `count` free ports from it, below the ephemeral range. */
async function freeRange(count: number): Promise<number> {
  const low = 10_000;
  const high = ephemeralLow() - count;
  for (let base = low + ((process.pid * 10) % (high - low)); base < high; base += count) {
    const free = await Promise.all(Array.from({ length: count }, (_, index) => portFree(base + index)));
    if (free.every(Boolean)) return base;
  }
  throw new Error("no free port range");
}

async function healthy(url: string): Promise<boolean> {
  return fetch(`${url}/api/health`).then(
    (response) => response.ok,
    () => false,
  );
}

it("starts two nodes on consecutive ports and stops both on SIGINT", async () => {
  const base = await freeRange(2);
  const cluster = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/cluster.ts", "--no-build", "--nodes", "2", "--port", String(base)],
    {
      env: {
        ...process.env,
        HOST: "127.0.0.1",
        DATABASE_PATH: join(dataDir, "clickbus.db"),
        REDIS_PREFIX: `clickbus-test-${randomUUID()}`,
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  cluster.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  cluster.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => cluster.once("exit", resolve));

  const urls = [`http://127.0.0.1:${base}`, `http://127.0.0.1:${base + 1}`];
  await until(async () => (await Promise.all(urls.map(healthy))).every(Boolean), "both nodes healthy", 60_000).catch(
    (error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; cluster output:\n${output}`, {
        cause: error,
      });
    },
  );
  expect(output).toMatch(/\[node1\] .*listening/);
  expect(output).toMatch(/\[node2\] .*listening/);

  cluster.kill("SIGINT");
  expect(await exited).toBe(0);
  expect(output).toMatch(/\[node1\] exited/);
  expect(output).toMatch(/\[node2\] exited/);
  expect((await Promise.all(urls.map(healthy))).some(Boolean)).toBe(false);
}, 90_000);
