// The command line of `npm run crowd`: which invite link, how many bots, how fast and how long,
// and the loopback guard (a crowd is a load test: aim it at someone else's server only on purpose).
import { z } from "zod";

export type CrowdOptions = { origin: string; code: string; players: number; rate: number; duration: number; yes: boolean };

export const USAGE = `Usage: npm run crowd -- --url <invite link> [--players 10] [--rate 2] [--duration 60] [--yes]

  --url        an invite link, e.g. http://localhost:3000/join/Abc… (Owner controls → Invite link)
  --players    bots joining as guests named bot-…   (1–500, default 10)
  --rate       click batches a second per bot        (0.1–20, default 2)
  --duration   seconds before they leave             (1–86400, default 60)
  --yes        allow a host other than this machine (localhost, 127.x, ::1)
Ctrl-C makes every bot leave the game and disconnect.`;

const inviteLink = z
  .url({ protocol: /^https?$/, error: "--url must be an http(s) invite link" })
  .transform((value) => new URL(value))
  .refine((url) => /^\/join\/[A-Za-z0-9_-]{16,64}\/?$/.test(url.pathname), "--url must be an invite link (…/join/<code>)");

const flags = z.strictObject({
  url: inviteLink,
  players: z.coerce.number().int().min(1).max(500).default(10),
  rate: z.coerce.number().min(0.1).max(20).default(2),
  duration: z.coerce.number().int().min(1).max(86_400).default(60),
  yes: z.boolean().default(false),
});

export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === "[::1]";
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
export function parseOptions(argv: readonly string[]): { ok: true; options: CrowdOptions } | { ok: false; message: string } {
  let raw: Record<string, string | boolean>;
  try {
    raw = pairs(argv);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const parsed = flags.safeParse(raw);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => `${issue.path.length ? `--${issue.path.join(".")}: ` : ""}${issue.message}`).join("\n") };
  const { url, yes, ...rest } = parsed.data;
  if (!yes && !isLoopback(url.hostname)) return { ok: false, message: `refusing to send a crowd to ${url.host}: it is not this machine. Add --yes if you mean it.` };
  const code = url.pathname.replace(/^\/join\//, "").replace(/\/$/, "");
  return { ok: true, options: { origin: url.origin, code, yes, ...rest } };
}
