// Command-line flags of `npm run bench -- …`, parsed with zod. Every size is adjustable; the
// defaults are sized to finish in about five minutes on two cores.
import { z } from "zod";
import { BATCHES_PER_SECOND } from "@/lib/games/click-rate";
import { BATCH_INTERVAL_MS } from "@/lib/games/client/click-queue";

const count = z.coerce.number().int().positive();
const list = z
  .string()
  .transform((text) => text.split(",").filter(Boolean).map(Number))
  .pipe(z.array(z.number().int().positive()).nonempty());
const names = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) => text.split(",").filter(Boolean))
    .pipe(z.array(z.enum(values)).nonempty());

export const SCENARIOS = ["idle", "fanout", "throughput", "catchup", "room", "sweep"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const flagsSchema = z.strictObject({
  scenarios: names(SCENARIOS).default([...SCENARIOS]),
  targets: names(["clickbus", "baseline"] as const).default(["clickbus", "baseline"]),
  paths: names(["api", "action"] as const).default(["api", "action"]),
  users: count.default(64),
  warmup: z.coerce.number().int().nonnegative().default(200),
  "fanout-watchers": list.default([100, 1000, 5000]),
  "fanout-players": count.default(4),
  /** Batches per second per player; default the game page's pace (one batch per BATCH_INTERVAL_MS). */
  "fanout-rate": z.coerce
    .number()
    .positive()
    .max(BATCHES_PER_SECOND - 2)
    .default(1000 / BATCH_INTERVAL_MS),
  "fanout-seconds": z.coerce.number().positive().default(2.5),
  "throughput-start": count.default(4),
  "throughput-max": count.default(32),
  "throughput-seconds": z.coerce.number().positive().default(2),
  "throughput-watchers": count.default(10),
  "p99-limit": z.coerce.number().positive().default(100),
  idle: list.default([1000, 10000, 20000]),
  "catchup-sockets": count.default(1000),
  "catchup-missed": count.default(1000),
  /** How many of the returning sockets may be in their handshake at once (default: all). */
  "catchup-concurrency": count.optional(),
  "room-guests": list.default([200, 1000, 2000]),
  /** The room: every guest taps 6 times a second. */
  "room-taps": z.coerce.number().positive().max(50).default(6),
  "room-seconds": z.coerce.number().positive().default(20),
  sweep: list.default([10000, 20000]),
  "sweep-users": count.default(2000),
  /** The sweep runs in cluster mode only: its node joins this Redis (with a prefix of its own). */
  redis: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379"),
  "connect-concurrency": count.default(100),
  "cpu-prof": z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .default(false),
  out: z.string().default("bench-results"),
  /** A PostgreSQL server to run Clickbus on (a fresh database is made there); unset: SQLite. */
  database: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\/./.test(value) && URL.canParse(value), "must be a postgres:// URL")
    .optional(),
});

export type Flags = z.infer<typeof flagsSchema>;

const HELP: Record<keyof Flags, string> = {
  scenarios: "scenarios to run, in this order",
  targets: "servers to run them against",
  paths: "click paths: the HTTP API and the addClicks server action",
  users: "players created in the game (the throughput pool: each stays under 30 batches/s)",
  warmup: "click batches per path sent before measuring",
  "fanout-watchers": "W: subscribed sockets watching the game, one phase per value",
  "fanout-players": "P: players clicking during fan-out",
  "fanout-rate": "batches/s per player during fan-out",
  "fanout-seconds": "length of each fan-out phase",
  "throughput-start": "first concurrency of the ramp (doubles each step)",
  "throughput-max": "last concurrency of the ramp",
  "throughput-seconds": "length of each ramp step",
  "throughput-watchers": "sockets checking delivery during the ramp",
  "p99-limit": "the ramp stops after the first step whose p99 (ms) exceeds this",
  idle: "idle connection levels",
  "catchup-sockets": "sockets that go away and come back",
  "catchup-missed": "click batches committed while they are away",
  "catchup-concurrency": "returning sockets in their handshake at once (default: all)",
  "room-guests": "room: guests joining a fresh game through its invite link, one phase per value (2000 takes minutes)",
  "room-taps": "room: taps a second per guest, batched like the game page (max(150 ms, paceMs) apart)",
  "room-seconds": "room: length of the tapping window of each phase",
  sweep: "sweep: sockets on a clustered node whose access sweep is watched, one window per value",
  "sweep-users": "sweep: guests of the room the sockets are spread over (each a (user, channel) pair to check)",
  redis: "sweep: the Redis its clustered node joins",
  "connect-concurrency": "handshakes in flight when opening watchers",
  "cpu-prof": "write a .cpuprofile of each server for each scenario under <out>/profiles-<time>/",
  out: "directory for the JSON results",
  database: "PostgreSQL server URL: run Clickbus on a fresh database there instead of SQLite",
};

export function usage(): string {
  const defaults: Record<string, unknown> = flagsSchema.parse({});
  const lines = Object.entries(HELP).map(([name, help]) => {
    const value = defaults[name];
    const shown =
      value === undefined
        ? ""
        : ` [${Array.isArray(value) ? value.join(",") : typeof value === "number" ? Number(value.toFixed(2)) : String(value)}]`;
    return `  --${name.padEnd(20)} ${help}${shown}`;
  });
  return `npm run bench -- [--flag=value …]   (lists are comma-separated)\n${lines.join("\n")}`;
}

/** `--name=value`, `--name value`, or a bare `--name` (true). */
export function parseFlags(argv: readonly string[]): Flags {
  const raw: Record<string, string> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] ?? "";
    if (!token.startsWith("--")) throw new Error(`unexpected argument ${token}\n${usage()}`);
    const [name = "", value] = token.slice(2).split(/=(.*)/s, 2);
    if (value !== undefined) raw[name] = value;
    else if (argv[index + 1] !== undefined && !argv[index + 1]?.startsWith("--")) raw[name] = argv[++index] ?? "";
    else raw[name] = "true";
  }
  const parsed = flagsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${z.prettifyError(parsed.error)}\n${usage()}`);
  return parsed.data;
}
