// What a server action may answer a fuzzed call with: never a 500 or a crashed action (runAction's
// `internal`); a refusal (a typed result or form state saying no, or React refusing the body)
// leaves the database as it was; an accepted call (ok, a token, a redirect) may change it.
// One 500 is Next's, not the app's: a body React's decodeReply cannot read, posted to a page
// whose own worker holds the action, fails inside Next before any action runs (docs/testing.md).
import { z } from "zod";
import { actionResult, type ActionAnswer } from "../actions/action-client";

/** The refusals runAction documents (AppErrorCode and `unauthorized`); `internal` is a crash. */
const REFUSALS = new Set([
  "invalid",
  "not_found",
  "forbidden",
  "conflict",
  "rate_limited",
  "too_large",
  "unauthorized",
  "idempotency_key_reused",
]);
const accepted = z.union([z.object({ ok: z.literal(true) }), z.object({ token: z.string() })]);

/** Why `answer` is not allowed, or null when it is. */
export function problemWith(
  name: string,
  answer: ActionAnswer,
  changedTables: string[],
  handMadeBody: boolean,
): string | null {
  const { status, outcome } = answer;
  const said = `${name} answered ${status} ${JSON.stringify(outcome).slice(0, 300)}`;
  const undecodable = handMadeBody && status === 500 && outcome.kind === "error";
  if (status >= 500 && !undecodable) return said;
  if (outcome.kind === "unrecognized") return `${said} (the build's own action id was not recognized)`;
  const result = outcome.kind === "value" ? actionResult.safeParse(outcome.value) : undefined;
  if (result?.success && !result.data.ok && !REFUSALS.has(result.data.error))
    return `${said} (an undocumented refusal: the action crashed)`;
  const tookIt = outcome.kind === "redirect" || (outcome.kind === "value" && accepted.safeParse(outcome.value).success);
  if (!tookIt && changedTables.length > 0) return `${said}, a refusal, yet it changed ${changedTables.join(", ")}`;
  return null;
}
