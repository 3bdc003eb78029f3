// The game's domain errors. Route handlers map them to HTTP statuses and actions to messages;
// `not_found` covers both "missing" and "not yours", so no caller learns which.
import type { z } from "zod";

export type GameErrorCode = "invalid" | "not_found" | "forbidden" | "conflict" | "rate_limited" | "too_large";

const statusOf: Record<GameErrorCode, number> = {
  invalid: 400,
  too_large: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  rate_limited: 429,
};

export class GameError extends Error {
  constructor(
    readonly code: GameErrorCode,
    message: string,
    /** For `rate_limited`: when to try again (the API's Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "GameError";
  }

  get status(): number {
    return statusOf[this.code];
  }
}

/** Parses outside input with `schema`, or throws `invalid` with the first problem's message. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new GameError("invalid", parsed.error.issues[0]?.message ?? "Invalid input.");
  return parsed.data;
}

export const notFound = () => new GameError("not_found", "Game not found.");
