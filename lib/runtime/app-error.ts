// The one error type of the app's own refusals, thrown by lib/ and the API layer alike. Route
// handlers answer it as `{ error, message }` with its status, actions show its message, and
// `not_found` covers both "missing" and "not yours", so no caller learns which.
import type { z } from "zod";

export type AppErrorCode =
  | "invalid"
  | "invalid_json"
  | "unauthorized"
  | "forbidden"
  | "forbidden_origin"
  | "not_found"
  | "conflict"
  | "too_large"
  | "rate_limited"
  | "unavailable"
  | "idempotency_key_reused";

const statusOf: Record<AppErrorCode, number> = {
  invalid: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  forbidden_origin: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  idempotency_key_reused: 422,
};

export type AppErrorExtras = {
  /** Per-field messages of a rejected body, as zod's flattenError gives them. */
  fields?: Record<string, string[] | undefined>;
  /** For `rate_limited` and `unavailable`: when to try again (the API's Retry-After). */
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
};

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly extras: AppErrorExtras = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return statusOf[this.code];
  }

  /** The answer's headers: the given ones, plus Retry-After for a rate limit. */
  get headers(): Record<string, string> {
    const { headers = {}, retryAfterSeconds } = this.extras;
    return retryAfterSeconds === undefined ? headers : { ...headers, "retry-after": String(retryAfterSeconds) };
  }
}

/** Parses outside input with `schema`, or throws `invalid` with the first problem's message. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid", parsed.error.issues[0]?.message ?? "Invalid input.");
  return parsed.data;
}
