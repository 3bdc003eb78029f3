// Unit test of the API's error mapping: known errors keep their code, status and message;
// anything unexpected becomes a bare 500 that carries nothing of the original error.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as ErrorResponse from "@/lib/api/error-response";

const dataDir = mkdtempSync(join(tmpdir(), "clickbus-api-errors-"));
const savedEnv = { ...process.env };
let errorResponse: typeof ErrorResponse.errorResponse;

beforeAll(async () => {
  // env() is read once per process and the logger needs it: configure before loading lib code.
  process.env.DATABASE_PATH = join(dataDir, "clickbus.db");
  process.env.AUTH_SECRET = "an-auth-secret-that-is-at-least-32-characters";
  process.env.LOG_LEVEL = "silent";
  ({ errorResponse } = await import("@/lib/api/error-response"));
});

afterAll(() => {
  // A reused worker must not hand this configuration to the next test file.
  process.env = savedEnv;
  rmSync(dataDir, { recursive: true, force: true });
});

const request = new Request("http://localhost/api/games/1", { method: "PATCH" });

describe("errorResponse", () => {
  it("keeps a AppError's code, status and message", async () => {
    const { AppError } = await import("@/lib/runtime/app-error");
    const answer = errorResponse(new AppError("rate_limited", "Too many click batches; slow down."), request);
    expect(answer.status).toBe(429);
    expect(await answer.json()).toEqual({ error: "rate_limited", message: "Too many click batches; slow down." });
  });

  it("keeps an AppError's fields and headers", async () => {
    const { AppError } = await import("@/lib/runtime/app-error");
    const answer = errorResponse(
      new AppError("unauthorized", "Sign in.", { headers: { "www-authenticate": "Bearer" } }),
      request,
    );
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toBe("Bearer");
    expect(await answer.json()).toEqual({ error: "unauthorized", message: "Sign in." });

    const invalid = errorResponse(
      new AppError("invalid", "name: Too long", { fields: { name: ["Too long"] } }),
      request,
    );
    expect(await invalid.json()).toEqual({
      error: "invalid",
      message: "name: Too long",
      fields: { name: ["Too long"] },
    });
  });

  it("answers anything else with a bare 500 that leaks nothing", async () => {
    const answer = errorResponse(new Error("SQLITE_CORRUPT: /srv/secret/path/clickbus.db"), request);
    expect(answer.status).toBe(500);
    const text = await answer.text();
    expect(JSON.parse(text)).toEqual({ error: "internal", message: expect.any(String) });
    expect(text).not.toMatch(/SQLITE|secret|clickbus\.db/);
  });
});
