// Integration: the settings server actions, posted by hand against a production server. A token
// can only be revoked by its owner, token ids and names are validated, and "sign out everywhere"
// only ever ends the caller's own sessions — checked in the database and with the tokens and
// cookies themselves.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { bearerCaller, call, newPlayer } from "../api/api-client";
import { startTestServer, type TestServer } from "../support/server";
import { actionCaller, actionResult, form, refusalOf, valueOf, type ActionCaller, type Json } from "./action-client";
import { storedRows } from "../support/stored-rows";
import { sessionEpoch, tokenIds, tokenOf, userId, world } from "./game-state";

let server: TestServer;
let settings: ActionCaller;

beforeAll(async () => {
  server = await startTestServer();
  settings = actionCaller(server.url, "app/actions/settings.ts");
});

afterAll(async () => {
  await server?.stop();
});

const tokenFormState = z.strictObject({
  token: z.string().optional(),
  name: z.string().optional(),
  repeated: z.literal(true).optional(),
  message: z.string().optional(),
});

async function tokenWorks(token: string): Promise<boolean> {
  const status = (await call(server.url, bearerCaller(token), "GET", "/api/games")).status;
  expect([200, 401]).toContain(status);
  return status === 200;
}

describe("revokeTokenAction", () => {
  it("with another user's token id has no effect", async () => {
    const [alice, carol] = await Promise.all([newPlayer(server.url, "alice"), newPlayer(server.url, "carol")]);
    const token = await tokenOf(server.url, alice);
    const aliceId = await userId(server.database, alice.username);
    for (const tokenId of [token.id, String(token.id)]) {
      const answer = await settings("revokeTokenAction", [tokenId], { cookie: carol.cookie, page: "/settings" });
      expect(valueOf(answer, actionResult)).toEqual({ ok: true, value: false });
    }
    expect(await tokenIds(server.database, aliceId)).toEqual([token.id]);
    expect(await tokenWorks(token.token)).toBe(true);

    expect(
      valueOf(
        await settings("revokeTokenAction", [token.id], { cookie: alice.cookie, page: "/settings" }),
        actionResult,
      ),
    ).toEqual({ ok: true, value: true });
    expect(await tokenIds(server.database, aliceId)).toEqual([]);
    expect(await tokenWorks(token.token)).toBe(false);
  });

  it("refuses malformed token ids, a missing session and a forged Origin", async () => {
    const alice = await newPlayer(server.url, "alice");
    const token = await tokenOf(server.url, alice);
    const aliceId = await userId(server.database, alice.username);
    const bad: Json[] = [
      "abc",
      `0${token.id}`,
      `${token.id}.0`,
      -token.id,
      0,
      token.id + 0.5,
      2 ** 53,
      null,
      {},
      [token.id],
      { tokenId: token.id },
    ];
    for (const tokenId of bad) {
      const refusal = refusalOf(
        await settings("revokeTokenAction", [tokenId], { cookie: alice.cookie, page: "/settings" }),
      );
      expect({ tokenId, error: refusal.error }).toEqual({ tokenId, error: "invalid" });
    }
    expect(refusalOf(await settings("revokeTokenAction", [token.id], { page: "/settings" })).error).toBe(
      "unauthorized",
    );
    const forged = await settings("revokeTokenAction", [token.id], {
      cookie: alice.cookie,
      origin: "https://evil.example",
      page: "/settings",
    });
    expect(forged.status).toBe(403);
    expect(await tokenIds(server.database, aliceId)).toEqual([token.id]);
    expect(await tokenWorks(token.token)).toBe(true);
  });
});

describe("createTokenAction", () => {
  it("refuses missing or bad names, non-form arguments and a missing session, creating nothing", async () => {
    const alice = await newPlayer(server.url, "alice");
    const aliceId = await userId(server.database, alice.username);
    const mark = server.output().length;
    const args: Json[][] = [[{}], [{}, null], [{}, { name: "plain object" }], [{}, "name=text"]];
    for (const callArgs of args) {
      const state = valueOf(
        await settings("createTokenAction", callArgs, { cookie: alice.cookie, page: "/settings" }),
        tokenFormState,
      );
      expect({ callArgs, state }).toEqual({ callArgs, state: { message: expect.stringMatching(/^Invalid input/) } });
    }
    for (const name of ["", "   ", "x".repeat(65)]) {
      const state = valueOf(
        await settings("createTokenAction", [{}, form({ name })], { cookie: alice.cookie, page: "/settings" }),
        tokenFormState,
      );
      expect(state).toEqual({ message: expect.any(String) });
    }
    const anonymous = valueOf(
      await settings("createTokenAction", [{}, form({ name: "ci" })], { page: "/settings" }),
      tokenFormState,
    );
    expect(anonymous).toEqual({ message: "Your session has ended. Sign in again." });
    expect(await tokenIds(server.database, aliceId)).toEqual([]);
    expect(server.output().slice(mark)).not.toContain("action failed");
  });

  it("creates a working token for the caller only", async () => {
    const alice = await newPlayer(server.url, "alice");
    const state = valueOf(
      await settings("createTokenAction", [{}, form({ name: "ci" })], { cookie: alice.cookie, page: "/settings" }),
      tokenFormState,
    );
    expect(state).toEqual({ token: expect.stringMatching(/^cbt_/), name: "ci" });
    expect(await tokenIds(server.database, await userId(server.database, alice.username))).toHaveLength(1);
    expect(await tokenWorks(state.token ?? "")).toBe(true);
  });

  it("makes one token of a submission sent twice with its key, and never keeps or shows its secret again", async () => {
    const alice = await newPlayer(server.url, "alice");
    const aliceId = await userId(server.database, alice.username);
    const submissionKey = randomUUID();
    const create = async () =>
      valueOf(
        await settings("createTokenAction", [{}, form({ name: "keyed", submissionKey })], {
          cookie: alice.cookie,
          page: "/settings",
        }),
        tokenFormState,
      );
    const first = await create();
    expect(first).toEqual({ token: expect.stringMatching(/^cbt_/), name: "keyed" });
    expect(await create()).toEqual({ name: "keyed", repeated: true });
    expect(await tokenIds(server.database, aliceId)).toHaveLength(1);
    const kept = await storedRows(server.database, "SELECT body FROM idempotent_requests WHERE user_id = ?", aliceId);
    expect(kept).toHaveLength(1);
    expect(JSON.stringify(kept)).not.toContain(first.token);
    expect(await tokenWorks(first.token ?? "")).toBe(true);
  });
});

describe("signOutEverywhereAction", () => {
  it("ends only the caller's sessions, and nobody's without a session or from a forged Origin", async () => {
    const w = await world(server);
    const epochs = () => Promise.all([w.alice.id, w.bob.id].map((id) => sessionEpoch(server.database, id)));
    const before = await epochs();

    expect((await settings("signOutEverywhereAction", [], { page: "/settings" })).outcome).toEqual({
      kind: "value",
      value: undefined,
    });
    const forged = await settings("signOutEverywhereAction", [], {
      cookie: w.bob.cookie,
      origin: "null",
      page: "/settings",
    });
    expect(forged.status).toBe(403);
    expect(await epochs()).toEqual(before);

    expect(
      (await settings("signOutEverywhereAction", [w.alice.id], { cookie: w.bob.cookie, page: "/settings" })).outcome,
    ).toEqual({
      kind: "redirect",
      location: expect.stringMatching(/\/sign-in$/),
    });
    expect(await epochs()).toEqual([before[0], (before[1] ?? 0) + 1]);

    const click = (cookie: string) =>
      w.games("addClicksAction", [{ gameId: w.gameId, count: 1, batchId: "after-sign-out-01" }], { cookie });
    expect(refusalOf(await click(w.bob.cookie)).error).toBe("unauthorized");
    expect(valueOf(await click(w.alice.cookie), actionResult)).toMatchObject({ ok: true, value: { counted: true } });
  });
});
