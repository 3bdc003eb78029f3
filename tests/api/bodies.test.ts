// Bad request bodies against a real server: every one gets a clear 400 or 413 JSON error and
// changes nothing (no game, no rename, no clicks, no batchId used up, no account).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { errorAnswer, gameDetails, gameSummary, myGames } from "./answers";
import { call, newPlayer, type Body } from "./api-client";

const ONE_MEGABYTE = 1024 * 1024;
let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
});

afterAll(async () => {
  await server?.stop();
});

/** 1 MB sent as a stream, with no Content-Length to trust. */
function streamedMegabyte(): Body {
  let sent = 0;
  const chunk = new TextEncoder().encode(`{"pad":"${"x".repeat(64 * 1024)}`);
  return {
    stream: new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= ONE_MEGABYTE) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  };
}

type BadBody = { label: string; body: () => Body | undefined; status: number; error: string };

const validBatch = { count: 3, batchId: "valid-batch-0001" };
const badBodies: BadBody[] = [
  { label: "no body", body: () => undefined, status: 400, error: "invalid_json" },
  { label: "not JSON", body: () => ({ raw: "count=3&batchId=valid-batch-0001" }), status: 400, error: "invalid_json" },
  {
    label: "truncated JSON",
    body: () => ({ raw: '{"count": 3, "batchId": "valid-batch-0001"' }),
    status: 400,
    error: "invalid_json",
  },
  {
    label: "invalid UTF-8",
    body: () => ({ raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }),
    status: 400,
    error: "invalid_json",
  },
  { label: "null", body: () => ({ json: null }), status: 400, error: "invalid" },
  { label: "an array", body: () => ({ json: [validBatch] }), status: 400, error: "invalid" },
  { label: "a string", body: () => ({ json: "valid-batch-0001" }), status: 400, error: "invalid" },
  { label: "missing fields", body: () => ({ json: {} }), status: 400, error: "invalid" },
  { label: "missing batchId", body: () => ({ json: { count: 3 } }), status: 400, error: "invalid" },
  { label: "extra fields", body: () => ({ json: { ...validBatch, gameId: 1 } }), status: 400, error: "invalid" },
  {
    label: "a string for a number",
    body: () => ({ json: { ...validBatch, count: "3" } }),
    status: 400,
    error: "invalid",
  },
  { label: "a fraction", body: () => ({ json: { ...validBatch, count: 1.5 } }), status: 400, error: "invalid" },
  { label: "zero clicks", body: () => ({ json: { ...validBatch, count: 0 } }), status: 400, error: "invalid" },
  { label: "negative clicks", body: () => ({ json: { ...validBatch, count: -100 } }), status: 400, error: "invalid" },
  {
    label: "a malformed batchId",
    body: () => ({ json: { ...validBatch, batchId: "bad id!" } }),
    status: 400,
    error: "invalid",
  },
  {
    label: "1 MB with a Content-Length",
    body: () => ({ raw: JSON.stringify({ ...validBatch, pad: "x".repeat(ONE_MEGABYTE) }) }),
    status: 413,
    error: "too_large",
  },
  { label: "1 MB streamed", body: streamedMegabyte, status: 413, error: "too_large" },
];

describe("bad bodies", () => {
  it("are refused on POST /api/games/:id/clicks, and leave the total and the batchId untouched", async () => {
    const alice = await newPlayer(url, "alice");
    const game = gameSummary.parse(
      (await call(url, alice.browser, "POST", "/api/games", { json: { name: "Bodies" } })).body,
    );
    for (const bad of badBodies) {
      const answer = await call(url, alice.browser, "POST", `/api/games/${game.id}/clicks`, bad.body());
      expect(answer.status, bad.label).toBe(bad.status);
      expect(errorAnswer.parse(answer.body).error, bad.label).toBe(bad.error);
    }
    expect(gameDetails.parse((await call(url, alice.browser, "GET", `/api/games/${game.id}`)).body).total).toBe(0);
    expect(
      (await call(url, alice.browser, "POST", `/api/games/${game.id}/clicks`, { json: validBatch })).body,
    ).toMatchObject({ total: 3 });
  });

  it("are refused on POST /api/games and PATCH /api/games/:id, which create and rename nothing", async () => {
    const alice = await newPlayer(url, "alice");
    const game = gameSummary.parse(
      (await call(url, alice.browser, "POST", "/api/games", { json: { name: "Original" } })).body,
    );
    const nameBodies: Array<[string, Body]> = [
      ["not JSON", { raw: "name=Evil" }],
      ["an array", { json: [{ name: "Evil" }] }],
      ["missing name", { json: {} }],
      ["empty name", { json: { name: "   " } }],
      ["long name", { json: { name: "x".repeat(61) } }],
      ["a number", { json: { name: 42 } }],
      ["extra fields", { json: { name: "Evil", ownerId: 1 } }],
      ["1 MB", { raw: JSON.stringify({ name: "x".repeat(ONE_MEGABYTE) }) }],
    ];
    for (const [label, body] of nameBodies) {
      const created = await call(url, alice.browser, "POST", "/api/games", body);
      const renamed = await call(url, alice.browser, "PATCH", `/api/games/${game.id}`, body);
      for (const answer of [created, renamed]) {
        expect([400, 413], label).toContain(answer.status);
        expect(errorAnswer.parse(answer.body).message.length, label).toBeGreaterThan(0);
      }
    }
    const games = myGames.parse((await call(url, alice.browser, "GET", "/api/games")).body).games;
    expect(games.map((entry) => entry.name)).toEqual(["Original"]);
  });

  it("names the offending field of an invalid body", async () => {
    const alice = await newPlayer(url, "alice");
    const answer = await call(url, alice.browser, "POST", "/api/games", { json: { name: "" } });
    expect(answer.status).toBe(400);
    const error = errorAnswer.parse(answer.body);
    expect(error.message).toMatch(/^name: /);
    expect(error.fields).toHaveProperty("name");
  });

  it("are refused on the public sign-up, which creates no account", async () => {
    const big = await call(url, { headers: {} }, "POST", "/api/users", {
      raw: JSON.stringify({ username: "huge_body", password: "x".repeat(ONE_MEGABYTE) }),
    });
    expect(big.status).toBe(413);
    const broken = await call(url, { headers: {} }, "POST", "/api/users", { raw: '{"username":' });
    expect(broken.status).toBe(400);
    expect(errorAnswer.parse(broken.body).error).toBe("invalid_json");
    const invalid = await call(url, { headers: {} }, "POST", "/api/users", {
      json: { username: "x", password: "short" },
    });
    expect(invalid.status).toBe(400);
    expect(errorAnswer.parse(invalid.body).fields).toHaveProperty("username");

    const created = await call(url, { headers: {} }, "POST", "/api/users", {
      json: { username: "huge_body", password: "correct-horse-battery" },
    });
    expect(created.status).toBe(201);
    const taken = await call(url, { headers: {} }, "POST", "/api/users", {
      json: { username: "huge_body", password: "correct-horse-battery" },
    });
    expect(taken.status).toBe(409);
  });
});
