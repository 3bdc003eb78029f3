// The command line of `npm run crowd`: which invite link, how many bots, how fast they tap and
// join, how long, and the loopback guard (a crowd is a load test: aim it at someone else's
// server only on purpose).
import { z } from "zod";
import type { Load } from "./clicker";

export type CrowdOptions = {
  origin: string;
  code: string;
  players: number;
  load: Load;
  joinRate: number;
  duration: number;
  yes: boolean;
};

export const USAGE = `Usage: npm run crowd -- --url <invite link> [--players 10] [--rate 2 | --taps 6] [--duration 60] [--join-rate 40] [--yes]

  --url        an invite link, e.g. http://localhost:3000/join/Abc… (Owner controls → Invite link)
  --players    bots joining as guests named bot-…   (1–5000, default 10)
  --rate       click batches a second per bot, 1–5 clicks each (0.1–20, default 2)
  --taps       instead of --rate: taps a second per bot, sent in batches like the game page
               (0.1–50): each batch carries the taps since the last one
  --duration   seconds of clicking before they leave (1–86400, default 60)
  --join-rate  guest joins started per second at most (1–500, default 40); a 429 from the
               room's own limit pauses joins for its Retry-After and halves the pace
  --yes        allow a host other than this machine (localhost, 127.x, ::1)

Every bot has one batch in flight and waits max(150 ms, paceMs of the last answer) before the
next; a batch without an answer is sent again with the same batchId. All bots come from this
machine's one address, like a room behind one Wi-Fi: the node's per-address limits apply.

At the end it prints, beside the progress line:
  batch answers      p50/p99 of request → answer of every accepted (200) click batch
  projector lag      for each acknowledged batch: from its answer (which carries the total
                     right after its commit) until an observer socket on game:<id> first
                     received a tally whose total reached it (0 if one had already); p50/p99
  notifications      game-channel notifications the bots received ÷ (bots × seconds
                     subscribed while clicking), and tallies alone
  exactly once       the game's total (GET /api/games/:id) minus its total before the first
                     click, against the clicks of every acknowledged batch; and how many bots
                     (and the observer) ended on that total
Exit code 1 when nobody joined, the check failed, or the link was refused.
Ctrl-C makes every bot leave the game and disconnect.`;

const inviteLink = z
  .url({ protocol: /^https?$/, error: "--url must be an http(s) invite link" })
  .transform((value) => new URL(value))
  .refine(
    (url) => /^\/join\/[A-Za-z0-9_-]{16,64}\/?$/.test(url.pathname),
    "--url must be an invite link (…/join/<code>)",
  );

const flags = z.strictObject({
  url: inviteLink,
  players: z.coerce.number().int().min(1).max(5000).default(10),
  rate: z.coerce.number().min(0.1).max(20).optional(),
  taps: z.coerce.number().min(0.1).max(50).optional(),
  duration: z.coerce.number().int().min(1).max(86_400).default(60),
  "join-rate": z.coerce.number().min(1).max(500).default(40),
  yes: z.boolean().default(false),
});

export function isLoopback(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname) ||
    hostname === "[::1]"
  );
}

/** `--name value` pairs (and the bare `--yes`) into an object for zod. */
function pairs(argv: readonly string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? "";
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg}`);
    const [name = "", inline] = arg.slice(2).split("=", 2);
    if (name === "yes") out.yes = true;
    else out[name] = inline ?? argv[(index += 1)] ?? "";
  }
  return out;
}

/** The options, or an error message meant for the user. */
export function parseOptions(
  argv: readonly string[],
): { ok: true; options: CrowdOptions } | { ok: false; message: string } {
  let raw: Record<string, string | boolean>;
  try {
    raw = pairs(argv);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const parsed = flags.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      message: parsed.error.issues
        .map((issue) => `${issue.path.length ? `--${issue.path.join(".")}: ` : ""}${issue.message}`)
        .join("\n"),
    };
  const { url, yes, rate, taps, players, duration } = parsed.data;
  if (rate !== undefined && taps !== undefined) return { ok: false, message: "--rate and --taps: give one of them" };
  if (!yes && !isLoopback(url.hostname))
    return {
      ok: false,
      message: `refusing to send a crowd to ${url.host}: it is not this machine. Add --yes if you mean it.`,
    };
  const code = url.pathname.replace(/^\/join\//, "").replace(/\/$/, "");
  const load: Load = taps !== undefined ? { kind: "taps", perSecond: taps } : { kind: "batches", perSecond: rate ?? 2 };
  return {
    ok: true,
    options: { origin: url.origin, code, players, load, joinRate: parsed.data["join-rate"], duration, yes },
  };
}
