// The one place that reads process.env: parses and validates configuration with zod, and
// creates (then keeps, mode 0600) a random AUTH_SECRET under the data directory when none is set
// (except during `next build`, which writes nothing).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { commaList } from "@/lib/runtime/comma-list";

const originList = commaList.pipe(z.array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)));

/**
 * How many proxies in front of the node append to X-Forwarded-For: unset, "false" or "0" = none
 * (the TCP peer is the client), "true" = one, or a count. The client is the entry that many
 * places from the right: entries further left were written by the client and can be forged.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value) => (value === "" || value === "false" ? "0" : value === "true" ? "1" : value))
  .pipe(
    z
      .string()
      .regex(/^\d{1,2}$/, 'must be "true", "false" or the number of proxies (0–10)')
      .transform(Number)
      .pipe(z.number().max(10, "at most 10 proxies")),
  );

const logLevelSchema = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

/** Checked without echoing the value: it may hold a password. */
const postgresUrl = z
  .string()
  .refine(
    (value) => /^postgres(ql)?:\/\/./.test(value) && URL.canParse(value),
    "must be a postgres:// or postgresql:// URL",
  );

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("localhost"),
  DATABASE_PATH: z.string().min(1).default("./data/clickbus.db"),
  // Set: PostgreSQL (nodes on several machines share it); unset: the SQLite file at DATABASE_PATH.
  DATABASE_URL: postgresUrl.optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ALLOWED_ORIGINS: originList.default([]),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  // Nodes sharing a database share a prefix; another prefix is another, separate cluster.
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, "letters, digits and . _ : - only")
    .default("clickbus"),
  LOG_LEVEL: logLevelSchema,
  // Unset: no metrics. Set: GET /metrics on METRICS_HOST:METRICS_PORT, never the public port.
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  TRUST_PROXY: trustProxy.default(0),
  // Guests who never set a password are removed after this many days without a signed-in request.
  GUEST_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Sign-ins (and, apart, sign-ups) one client address may make at once before the 1-per-3-s refill.
  AUTH_ADDRESS_BURST: z.coerce.number().int().min(1).max(1_000_000).default(30),
  // Password hashes waiting for one of the node's 2 hash slots; beyond: "busy, try again" (429).
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(100_000).default(64),
  // log2 of scrypt's N for new password hashes. 17 is OWASP's minimum; only tests go lower.
  PASSWORD_SCRYPT_COST: z.coerce.number().int().min(10).max(20).default(17),
  // Changes other than clicks one user may make at once before the 1-per-second refill.
  MUTATION_BURST: z.coerce.number().int().min(1).max(1_000_000).default(40),
  // Sockets one user, and one client address, may hold on one node. A room behind one venue
  // address holds one socket per phone (a 2,000-bot rehearsal, 2,000), so the address cap is a
  // bound on one client's sockets, not on a room's.
  SOCKETS_PER_USER: z.coerce.number().int().min(1).max(10_000_000).default(50),
  SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
  // Guest joins per game (its invite link) at once, and its refill a second (lib/games/guests.ts).
  GUEST_JOIN_BURST: z.coerce.number().int().min(1).max(1_000_000).default(300),
  GUEST_JOINS_PER_SECOND: z.coerce.number().positive().max(100_000).default(50),
  // Most guests one game may have; a join beyond it is refused as full.
  GUESTS_PER_GAME: z.coerce.number().int().min(1).max(10_000_000).default(5000),
  CLICKBUS_DEMO: z
    .enum(["0", "1"])
    .default("0")
    .transform((value) => value === "1"),
});

export type Env = Omit<z.infer<typeof envSchema>, "AUTH_SECRET"> & { AUTH_SECRET: string; dataDir: string };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((line) => `  - ${line}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function readSecretFile(file: string): string {
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 32)
    throw new ConfigError([
      `AUTH_SECRET: ${file} must hold at least 32 characters (delete it to have a new one created)`,
    ]);
  return secret;
}

function persistedSecret(dataDir: string): string {
  const file = join(dataDir, "auth-secret");
  try {
    return readSecretFile(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString("base64url");
    try {
      // "wx" so that two processes starting at once keep the first one's secret.
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return readSecretFile(file);
    }
  }
}

/**
 * Set by `next build` while it loads the app's modules to collect and prerender pages. A build
 * must not create state, and nothing it signs is kept, so it gets a throwaway secret instead of
 * the data directory's; the first `npm start` (or `npm run demo`) creates that.
 */
const BUILD_PHASE = "phase-production-build";

export function parseEnv(source: Readonly<Record<string, string | undefined>>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "env"}: ${issue.message}`));
  }
  const dataDir = dirname(resolve(result.data.DATABASE_PATH));
  // Nodes on several machines share no directory, so a secret made under one's data directory
  // would differ on every machine and sessions would not cross nodes.
  if (result.data.DATABASE_URL !== undefined && result.data.AUTH_SECRET === undefined) {
    throw new ConfigError([
      "AUTH_SECRET: must be set when DATABASE_URL is (every node needs the same one; e.g. `openssl rand -base64 32`)",
    ]);
  }
  const AUTH_SECRET =
    result.data.AUTH_SECRET ??
    (source.NEXT_PHASE === BUILD_PHASE ? randomBytes(32).toString("base64url") : persistedSecret(dataDir));
  return { ...result.data, AUTH_SECRET, dataDir };
}

let cached: Env | undefined;

/** The validated configuration of this process (parsed once). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export type DatabaseDialect = "sqlite" | "postgres";

/**
 * Which engine this process uses, from DATABASE_URL alone: read at import time by db/tables.ts,
 * before the rest of the configuration may be complete (and without creating any secret).
 */
export function databaseDialect(source: Readonly<Record<string, string | undefined>> = process.env): DatabaseDialect {
  return source.DATABASE_URL ? "postgres" : "sqlite";
}

/**
 * LOG_LEVEL alone, for the logger, which modules create at import: reading the whole
 * configuration that early would fix it (and create a secret) before a test or script has set
 * DATABASE_PATH. A bad value is reported by env() at start-up; here it falls back to "info".
 */
export function logLevel(
  source: Readonly<Record<string, string | undefined>> = process.env,
): z.infer<typeof logLevelSchema> {
  return logLevelSchema.catch("info").parse(source.LOG_LEVEL);
}
