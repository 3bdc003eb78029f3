// Who may call the API, against a real server: session cookies (with the Origin rule for
// writes), API tokens minted through the API itself, and what unknown or revoked tokens get.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { errorAnswer, gameDetails, gameSummary, myGames, newToken, tokenList } from "./answers";
import { anonymous, bearerCaller, call, newPlayer, type Caller, type Player } from "./api-client";

const TRUSTED_ORIGIN = "https://trusted.example";
let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer({ ALLOWED_ORIGINS: TRUSTED_ORIGIN });
  url = server.url;
});

afterAll(async () => {
  await server?.stop();
});

async function gameCount(player: Player): Promise<number> {
  return myGames.parse((await call(url, player.browser, "GET", "/api/games")).body).games.length;
}

async function mintToken(player: Player, name = "script"): Promise<{ id: number; token: string }> {
  const answer = await call(url, player.browser, "POST", "/api/tokens", { json: { name } });
  expect(answer.status).toBe(201);
  return newToken.parse(answer.body);
}

function withOrigin(player: Player, origin: string | null): Caller {
  return { headers: origin === null ? { cookie: player.cookie } : { cookie: player.cookie, origin } };
}

describe("cookie sessions and the Origin rule", () => {
  it("refuses a cross-origin cookie POST with 403 and creates nothing", async () => {
    const alice = await newPlayer(url, "alice");
    const answer = await call(url, withOrigin(alice, "https://evil.example"), "POST", "/api/games", {
      json: { name: "CSRF" },
    });
    expect(answer.status).toBe(403);
    expect(errorAnswer.parse(answer.body).error).toBe("forbidden_origin");
    expect(await gameCount(alice)).toBe(0);
  });

  it("refuses cookie writes without an Origin, or with Origin: null", async () => {
    const alice = await newPlayer(url, "alice");
    for (const origin of [null, "null"]) {
      const answer = await call(url, withOrigin(alice, origin), "POST", "/api/games", { json: { name: "No origin" } });
      expect(answer.status).toBe(403);
      expect(errorAnswer.parse(answer.body).error).toBe("forbidden_origin");
    }
    expect(await gameCount(alice)).toBe(0);
  });

  it("guards every kind of cookie write, and leaves the game as it was", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const created = await call(url, alice.browser, "POST", "/api/games", { json: { name: "Guarded" } });
    const game = gameSummary.parse(created.body);
    const evil = withOrigin(alice, "https://evil.example");
    const before = (await call(url, alice.browser, "GET", `/api/games/${game.id}`)).text;

    const attempts = [
      await call(url, evil, "PATCH", `/api/games/${game.id}`, { json: { name: "Hijacked" } }),
      await call(url, evil, "POST", `/api/games/${game.id}/clicks`, { json: { count: 5, batchId: "evil-batch-0001" } }),
      await call(url, evil, "POST", `/api/games/${game.id}/members`, { json: { username: bob.username } }),
      await call(url, evil, "DELETE", `/api/games/${game.id}/members/${game.ownerId}`),
      await call(url, evil, "DELETE", `/api/games/${game.id}`),
      await call(url, evil, "POST", "/api/tokens", { json: { name: "stolen" } }),
    ];
    for (const attempt of attempts) expect(attempt.status).toBe(403);
    expect((await call(url, alice.browser, "GET", `/api/games/${game.id}`)).text).toBe(before);
    expect(tokenList.parse((await call(url, alice.browser, "GET", "/api/tokens")).body).tokens).toEqual([]);
  });

  it("accepts a same-origin cookie write, an ALLOWED_ORIGINS one, and a cookie read without Origin", async () => {
    const alice = await newPlayer(url, "alice");
    expect((await call(url, alice.browser, "POST", "/api/games", { json: { name: "Same origin" } })).status).toBe(201);
    expect(
      (await call(url, withOrigin(alice, TRUSTED_ORIGIN), "POST", "/api/games", { json: { name: "Trusted" } })).status,
    ).toBe(201);
    const read = await call(url, withOrigin(alice, null), "GET", "/api/games");
    expect(read.status).toBe(200);
    expect(myGames.parse(read.body).games).toHaveLength(2);
  });

  it("answers 401 without a session, and with a forged session cookie", async () => {
    for (const caller of [anonymous, { headers: { cookie: "authjs.session-token=forged", origin: url } }]) {
      const answer = await call(url, caller, "GET", "/api/games");
      expect(answer.status).toBe(401);
      expect(errorAnswer.parse(answer.body).error).toBe("unauthorized");
    }
    expect((await call(url, anonymous, "POST", "/api/tokens", { json: { name: "x" } })).status).toBe(401);
  });
});

describe("API tokens", () => {
  it("mints a token after a cookie sign-in, lists it without the secret, and works without Origin", async () => {
    const alice = await newPlayer(url, "alice");
    const minted = await mintToken(alice, "  ci script ");
    const listed = tokenList.parse((await call(url, alice.browser, "GET", "/api/tokens")).body);
    expect(listed.tokens).toEqual([
      { id: minted.id, name: "ci script", createdAt: expect.any(String), lastUsedAt: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(minted.token);

    const bearer = bearerCaller(minted.token);
    const created = await call(url, bearer, "POST", "/api/games", { json: { name: "By script" } });
    expect(created.status).toBe(201);
    const game = gameSummary.parse(created.body);
    expect(
      (
        await call(url, bearer, "POST", `/api/games/${game.id}/clicks`, {
          json: { count: 2, batchId: "script-batch-01" },
        })
      ).body,
    ).toMatchObject({ total: 2 });
    expect(gameDetails.parse((await call(url, alice.browser, "GET", `/api/games/${game.id}`)).body).total).toBe(2);
    const used = tokenList.parse((await call(url, bearer, "GET", "/api/tokens")).body);
    expect(used.tokens[0]?.lastUsedAt).not.toBeNull();
  });

  it("answers 401 to an unknown token and to a revoked one", async () => {
    const alice = await newPlayer(url, "alice");
    const { id, token } = await mintToken(alice);
    const bearer = bearerCaller(token);
    expect((await call(url, bearer, "GET", "/api/games")).status).toBe(200);

    const revoked = await call(url, alice.browser, "DELETE", `/api/tokens/${id}`);
    expect(revoked.status).toBe(204);
    for (const caller of [bearer, bearerCaller("cbt_unknownunknownunknownunknown"), bearerCaller("not-a-token")]) {
      const answer = await call(url, caller, "GET", "/api/games");
      expect(answer.status).toBe(401);
      expect(errorAnswer.parse(answer.body).error).toBe("unauthorized");
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect(tokenList.parse((await call(url, alice.browser, "GET", "/api/tokens")).body).tokens).toEqual([]);
  });

  it("judges a request by its Authorization header alone, never falling back to the cookie", async () => {
    const alice = await newPlayer(url, "alice");
    for (const authorization of ["Bearer cbt_wrongwrongwrongwrong", "Basic YWxpY2U6cGFzcw==", "Bearer"]) {
      const caller: Caller = { headers: { ...alice.browser.headers, authorization } };
      expect((await call(url, caller, "POST", "/api/games", { json: { name: "Mixed" } })).status).toBe(401);
    }
    expect(await gameCount(alice)).toBe(0);
  });

  it("lets a bearer revoke its own token, and hides other users' tokens behind 404", async () => {
    const alice = await newPlayer(url, "alice");
    const carol = await newPlayer(url, "carol");
    const alices = await mintToken(alice);
    const carols = await mintToken(carol);

    const foreign = await call(url, carol.browser, "DELETE", `/api/tokens/${alices.id}`);
    const missing = await call(url, carol.browser, "DELETE", "/api/tokens/987654321");
    const malformed = await call(url, carol.browser, "DELETE", "/api/tokens/abc");
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(missing.text);
    expect(foreign.text).toBe(malformed.text);
    expect((await call(url, bearerCaller(alices.token), "GET", "/api/games")).status).toBe(200);

    expect((await call(url, bearerCaller(carols.token), "DELETE", `/api/tokens/${carols.id}`)).status).toBe(204);
    expect((await call(url, bearerCaller(carols.token), "GET", "/api/games")).status).toBe(401);
  });

  it("validates the token name", async () => {
    const alice = await newPlayer(url, "alice");
    for (const json of [{}, { name: "" }, { name: "x".repeat(65) }, { name: "ok", extra: 1 }, { name: 5 }]) {
      const answer = await call(url, alice.browser, "POST", "/api/tokens", { json });
      expect(answer.status).toBe(400);
      expect(errorAnswer.parse(answer.body).error).toBe("invalid");
    }
    expect(tokenList.parse((await call(url, alice.browser, "GET", "/api/tokens")).body).tokens).toEqual([]);
  });
});
