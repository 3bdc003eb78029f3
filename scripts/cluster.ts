// `npm run cluster -- --nodes N [--port P] [--no-build]`: N production nodes on ports P, P+1, …
// sharing one SQLite file (WAL), or PostgreSQL when DATABASE_URL is set (then AUTH_SECRET too),
// and Redis (REDIS_URL, default redis://127.0.0.1:6379), with the demo data. Builds first when the
// build is stale, unless --no-build (then a missing build is an error). With METRICS_PORT=M, node
// i serves its metrics on M+i. Each node's output is prefixed with its name; Ctrl-C stops them
// all. See docs/scaling.md.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { z } from "zod";
import { closeDatabase, migrateDatabase } from "@/db/client";
import { redisAnswers } from "@/lib/bus/redis-link";
import { redactUrl } from "@/lib/runtime/redact-url";
import { ConfigError, env } from "@/lib/config/env";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "@/lib/games/demo-seed";
import { buildIsMissing, ensureBuild } from "./ensure-build";

const argsSchema = z.object({
  nodes: z.coerce.number().int().min(1).max(16).default(2),
  port: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535 - 16)
    .optional(),
  "no-build": z.boolean().default(false),
});

function readArgs() {
  const { values } = parseArgs({
    options: {
      nodes: { type: "string", short: "n" },
      port: { type: "string", short: "p" },
      "no-build": { type: "boolean" },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`Usage: npm run cluster -- --nodes N [--port P] [--no-build]\n${z.prettifyError(parsed.error)}`);
    process.exit(1);
  }
  return parsed.data;
}

function startNode(name: string, port: number, redisUrl: string, metricsPort: number | undefined): ChildProcess {
  const metrics = metricsPort === undefined ? {} : { METRICS_PORT: String(metricsPort) };
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      REDIS_URL: redisUrl,
      CLICKBUS_DEMO: "0",
      ...metrics,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => console.log(`[${name}] ${line}`));
  }
  child.on("exit", (code, signal) => console.log(`[${name}] exited (${signal ?? `code ${code}`})`));
  return child;
}

async function main(): Promise<void> {
  const args = readArgs();
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  const config = env();
  const redisUrl = config.REDIS_URL ?? "redis://127.0.0.1:6379";
  const basePort = args.port ?? config.PORT;
  if (!args["no-build"]) {
    ensureBuild();
  } else if (buildIsMissing()) {
    console.error("No production build in .next (--no-build): run `npm run build` first.");
    process.exit(1);
  }
  if (!(await redisAnswers(redisUrl))) {
    console.warn(
      `Redis is not answering at ${redactUrl(redisUrl)}: nodes will serve their own sockets only until it does.`,
    );
  }
  // Migrate and seed once, before the nodes start, so they do not race for it.
  await migrateDatabase();
  await seedDemo();
  await closeDatabase();

  const metricsPort = (index: number) => (config.METRICS_PORT === undefined ? undefined : config.METRICS_PORT + index);
  const nodes = Array.from({ length: args.nodes }, (_, index) =>
    startNode(`node${index + 1}`, basePort + index, redisUrl, metricsPort(index)),
  );
  console.log(
    `\n  Clickbus cluster: ${nodes.map((_, index) => `http://${config.HOST}:${basePort + index}`).join("  ")}`,
  );
  if (config.METRICS_PORT !== undefined)
    console.log(
      `  Metrics: ${nodes.map((_, index) => `http://${config.METRICS_HOST}:${metricsPort(index)}/metrics`).join("  ")}`,
    );
  console.log(`  Demo log-ins: ${DEMO_USERS.join(", ")} — password "${DEMO_PASSWORD}". Ctrl-C stops every node.\n`);

  // Exits 0 when stopped by a signal or when every node exited cleanly; 1 after any node failed.
  let running = nodes.length;
  let stopped = false;
  let failed = false;
  for (const node of nodes) {
    node.on("exit", (code) => {
      failed ||= code !== 0;
      if ((running -= 1) === 0) process.exit(stopped || !failed ? 0 : 1);
    });
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopped = true;
      for (const node of nodes) if (node.exitCode === null) node.kill("SIGTERM");
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
