// Failures of the HTTP API layer itself (authentication, origin, request body). Route handlers
// throw them; error-response.ts turns them, like the game's GameError, into `{ error, message }`.
export type ApiErrorCode = "unauthorized" | "forbidden_origin" | "invalid_json" | "too_large" | "invalid" | "not_found";

const statusOf: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  forbidden_origin: 403,
  invalid_json: 400,
  too_large: 413,
  invalid: 400,
  not_found: 404,
};

export type ApiErrorExtras = {
  /** Per-field messages of a rejected body, as zod's flattenError gives them. */
  fields?: Record<string, string[] | undefined>;
  headers?: Record<string, string>;
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly extras: ApiErrorExtras = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return statusOf[this.code];
  }
}
