// Telling "the database is unreachable right now" apart from every other failure, so callers
// answer 503 (try again) instead of 500 (our bug), and logging an outage once, not per request.
import { log } from "@/lib/log";
import { AppError } from "./app-error";
import { processSingleton } from "./process-singleton";

/** SQLSTATEs that mean the server or the connection is away, not that the statement was wrong. */
const UNAVAILABLE_STATES = new Set([
  "57P01", // admin_shutdown (also pg_terminate_backend)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down)
  "53300", // too_many_connections
  "55P03", // lock_not_available (lock_timeout: a writer stuck behind a vanished node)
  "25P03", // idle_in_transaction_session_timeout
]);

/** Node's socket errors on the way to the server. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** node-postgres's own connection errors carry no code, only these messages. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Cannot use a pool after calling end on the pool/,
];

function codeOf(error: Error): string | undefined {
  const code: unknown = Reflect.get(error, "code");
  return typeof code === "string" ? code : undefined;
}

function isUnavailableItself(error: Error): boolean {
  const code = codeOf(error);
  if (code !== undefined && (UNAVAILABLE_STATES.has(code) || code.startsWith("08") || NETWORK_CODES.has(code)))
    return true;
  // SQLite: another process holds the write lock past the busy timeout.
  if (code === "SQLITE_BUSY") return true;
  return DRIVER_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** True when `error`, or what it wraps (Drizzle wraps driver errors in `cause`), means the database is away. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (isUnavailableItself(current)) return true;
  }
  return false;
}

const LOG_EVERY_MS = 10_000;
/** How long after its last refusal an outage still counts as now (see databaseOutageNow). */
const FRESH_MS = 10_000;
type Outage = { since: number; loggedAt: number; lastAt: number; refused: number };
declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "db:outage": { outage?: Outage; noted?: WeakSet<Error> };
  }
}

// One per process: server.ts and Next's bundles must agree on whether an outage was logged.
const state = processSingleton("db:outage", () => ({}));

/**
 * The answer for a request the database could not serve: `unavailable` (503, Retry-After). Logs
 * one line when an outage begins and one every 10 s while it lasts, with how many were refused.
 */
export function databaseUnavailable(error: unknown, now = Date.now()): AppError {
  const { outage } = state;
  if (!outage) {
    state.outage = { since: now, loggedAt: now, lastAt: now, refused: 1 };
    log.error(
      { err: error instanceof Error ? error.message : String(error) },
      "the database is unavailable: requests are answered 503 until it is back",
    );
  } else {
    outage.refused += 1;
    outage.lastAt = now;
    if (now - outage.loggedAt >= LOG_EVERY_MS) {
      log.error(
        { refused: outage.refused, forSeconds: Math.round((now - outage.since) / 1000) },
        "the database is still unavailable",
      );
      outage.loggedAt = now;
    }
  }
  return new AppError("unavailable", "The database is unavailable right now; try again in a moment.", {
    retryAfterSeconds: 2,
  });
}

/**
 * Records `error` as an outage when it is one (see databaseUnavailable), once however many places
 * see it: a page's read where it fails, then Next's onRequestError hook. Returns whether it was.
 */
export function noteIfDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error) || !isDatabaseUnavailable(error)) return false;
  state.noted ??= new WeakSet();
  if (!state.noted.has(error)) {
    state.noted.add(error);
    databaseUnavailable(error);
  }
  return true;
}

/** Called when the database answers again (a new connection): logs the end of an outage. */
export function databaseReachable(now = Date.now()): void {
  const { outage } = state;
  if (!outage) return;
  log.info(
    { refused: outage.refused, forSeconds: Math.round((now - outage.since) / 1000) },
    "the database is reachable again",
  );
  state.outage = undefined;
}

/**
 * Whether this process saw the database away in the last 10 s and not back since: a failed page
 * render is then answered 503 rather than 500 (lib/server/outage-status.ts). Recency bounds a
 * stale state: only PostgreSQL's new connections end an outage (SQLite's busy lock never does).
 */
export function databaseOutageNow(now = Date.now()): boolean {
  const { outage } = state;
  return outage !== undefined && now - outage.lastAt < FRESH_MS;
}

/** `error` as the app's own refusal when it is one, or the 503 for an outage; else undefined (a bug: 500). */
export function knownFailure(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  return isDatabaseUnavailable(error) ? databaseUnavailable(error) : undefined;
}
