// What the HTTP API (docs/api.md#errors) allows as the answer to one fuzzed request: never a
// 5xx; a documented status; on the API's own routes every error a strict `{ error, message }`
// with a documented code for its status (Next's 405 and its 308 path fixes have no body); and a
// refused request, any read, and anything Auth.js or a page answers, leave the database as it was.
import { z } from "zod";
import type { HttpAnswer, HttpRequest } from "./http-request";

/** Each documented error code and its status (docs/api.md, "Errors"). */
const STATUS_OF_CODE = {
  invalid_json: 400,
  invalid: 400,
  unauthorized: 401,
  forbidden_origin: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  username_taken: 409,
  too_large: 413,
  rate_limited: 429,
} as const;
type Code = keyof typeof STATUS_OF_CODE;
const CODES = Object.keys(STATUS_OF_CODE) as [Code, ...Code[]];

const errorBody = z.strictObject({
  error: z.enum(CODES),
  message: z.string().min(1),
  fields: z.record(z.string(), z.array(z.string())).optional(),
});

/** Successes, redirects (Auth.js; Next's 308 for a trailing slash) and the documented refusals. */
const ALLOWED_STATUSES = new Set([200, 201, 204, 302, 303, 307, 308, 400, 401, 403, 404, 405, 409, 413, 429]);
/** A method Node's parser does not know (FOO) gets its bare 400 before the app sees it. */
const NODE_METHODS = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "get",
  "post",
]);
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Why `answer` is not allowed for `input`, or null when it is. */
export function problemWith(sent: HttpRequest, answer: HttpAnswer, changedTables: string[]): string | null {
  const databaseChanged = changedTables.length > 0;
  const { status, text } = answer;
  const said = `${sent.method} ${sent.path} answered ${status} ${text.slice(0, 300)}`;
  if (status >= 500 || !ALLOWED_STATUSES.has(status)) return said;
  // Dot segments can take a path out of /api ("/api/.." is the lobby page): judge where it lands.
  const landed = new URL(sent.path, "http://fuzz.invalid").pathname;
  const ours = landed.startsWith("/api/") && !landed.startsWith("/api/auth/");
  if (databaseChanged && (status >= 400 || !ours || READS.has(sent.method.toUpperCase())))
    return `${said}, and it changed ${changedTables.join(", ")}`;
  if (!ours || status < 300) return null;
  if (status < 400)
    return status === 308 && answer.headers.location ? null : `${said} (a redirect other than Next's 308 path fix)`;
  if (status === 405 || sent.method === "HEAD") return text === "" ? null : `${said} (a body where Next answers none)`;
  if (status === 400 && text === "" && !NODE_METHODS.has(sent.method)) return null;
  const body = errorBody.safeParse(safeJson(text));
  if (!body.success) return `${said} (not a documented error body: ${z.prettifyError(body.error)})`;
  return STATUS_OF_CODE[body.data.error] === status
    ? null
    : `${said} (${body.data.error} belongs with ${STATUS_OF_CODE[body.data.error]})`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
