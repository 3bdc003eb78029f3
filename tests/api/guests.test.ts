// Guest join over the HTTP API against a real server (TRUST_PROXY=1, so each test is its own
// client address through X-Forwarded-For): a guest is signed in and a member, nicknames follow
// the username grammar and are unique, the invite code must be valid, cross-site posts are
// refused. Limits are per game, not per address: a room behind one address gets in, a flood of
// one link is held to its burst (429 with Retry-After) and to the game's cap of guests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signIn } from "../support/session";
import { startTestServer, type TestServer } from "../support/server";
import { errorAnswer, gameDetails, gameSummary } from "./answers";
import { call, newPlayer, type Answer, type Player } from "./api-client";

let server: TestServer;
let url: string;
let addressCount = 0;

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: "1" });
  url = server.url;
});

afterAll(async () => {
  await server?.stop();
});

const guestAnswer = z.strictObject({
  gameId: z.number().int().positive(),
  user: z.strictObject({ id: z.number().int().positive(), username: z.string() }),
});

/** A client address no other test uses (the proxy's X-Forwarded-For entry). */
function newAddress(): string {
  addressCount += 1;
  return `198.51.100.${addressCount}`;
}

async function gameWithLink(owner: Player, baseUrl = url): Promise<{ gameId: number; code: string }> {
  const game = gameSummary.parse(
    (await call(baseUrl, owner.browser, "POST", "/api/games", { json: { name: "Guests welcome" } })).body,
  );
  const link = await call(baseUrl, owner.browser, "POST", `/api/games/${game.id}/invite-link`);
  expect(link.status).toBe(201);
  return { gameId: game.id, code: z.object({ code: z.string() }).parse(link.body).code };
}

function joinAsGuest(
  code: string,
  nickname: unknown,
  address: string,
  headers: Record<string, string> = {},
  baseUrl = url,
): Promise<Answer> {
  return call(
    baseUrl,
    { headers: { "x-forwarded-for": `203.0.113.9, ${address}`, ...headers } },
    "POST",
    `/api/invites/${code}/guests`,
    { json: { nickname } },
  );
}

function sessionCookieOf(answer: Answer): string {
  const cookie = answer.headers
    .getSetCookie()
    .map((line) => line.split(";")[0] ?? "")
    .find((pair) => pair.startsWith("authjs.session-token="));
  if (!cookie) throw new Error(`no session cookie in ${answer.status} ${answer.text}`);
  return cookie;
}

describe("POST /api/invites/:code/guests", () => {
  let owner: Player;
  let invite: { gameId: number; code: string };
  beforeAll(async () => {
    owner = await newPlayer(url, "host");
    invite = await gameWithLink(owner);
  });

  it("creates a guest, signs it in with an Auth.js session and makes it a player", async () => {
    const answer = await joinAsGuest(invite.code, "Guest-One", newAddress());
    expect(answer.status).toBe(201);
    const joined = guestAnswer.parse(answer.body);
    // The username grammar lowercases, as for sign-up.
    expect(joined).toEqual({ gameId: invite.gameId, user: { id: joined.user.id, username: "guest-one" } });
    const cookie = sessionCookieOf(answer);
    const game = await call(url, { headers: { cookie, origin: url } }, "GET", `/api/games/${invite.gameId}`);
    expect(game.status).toBe(200);
    expect(gameDetails.parse(game.body).members.map((member) => member.username)).toContain("guest-one");
    const clicks = await call(url, { headers: { cookie, origin: url } }, "POST", `/api/games/${invite.gameId}/clicks`, {
      json: { count: 3, batchId: "guest-one-batch-1" },
    });
    expect(clicks.status).toBe(200);
  });

  it("gives a guest no password anyone could sign in with", async () => {
    await joinAsGuest(invite.code, "no-password", newAddress());
    await expect(signIn(url, "no-password", "")).rejects.toThrow(/sign-in of no-password failed/);
    await expect(signIn(url, "no-password", "any-password-at-all")).rejects.toThrow(/sign-in of no-password failed/);
  });

  it.each([["ab"], ["has space"], ["x".repeat(33)], ["émile"], [42]])(
    "refuses the nickname %j with a field error",
    async (nickname) => {
      const answer = await joinAsGuest(invite.code, nickname, newAddress());
      expect(answer.status).toBe(400);
      expect(errorAnswer.parse(answer.body).fields).toHaveProperty("nickname");
    },
  );

  it("refuses a nickname that a guest or an account already has, whatever its case", async () => {
    expect((await joinAsGuest(invite.code, "taken-name", newAddress())).status).toBe(201);
    const again = await joinAsGuest(invite.code, "TAKEN-name", newAddress());
    expect(again.status).toBe(409);
    expect(errorAnswer.parse(again.body)).toMatchObject({
      error: "conflict",
      message: "That nickname is taken. Try another one.",
    });
    expect((await joinAsGuest(invite.code, owner.username, newAddress())).status).toBe(409);
  });

  it("needs a valid invite code: unknown, malformed and revoked codes are 404", async () => {
    expect((await joinAsGuest("A".repeat(24), "lost-guest", newAddress())).status).toBe(404);
    expect((await joinAsGuest("bad", "lost-guest", newAddress())).status).toBe(404);
    const revoked = await gameWithLink(owner);
    expect((await call(url, owner.browser, "DELETE", `/api/games/${revoked.gameId}/invite-link`)).status).toBe(204);
    const answer = await joinAsGuest(revoked.code, "lost-guest", newAddress());
    expect(answer.status).toBe(404);
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it("refuses a cross-site post (a page elsewhere must not sign its visitors in)", async () => {
    const answer = await joinAsGuest(invite.code, "csrf-guest", newAddress(), { origin: "https://evil.example" });
    expect(answer.status).toBe(403);
    expect(answer.headers.getSetCookie()).toEqual([]);
  });
});

/** Runs `task` for 0..count-1, `parallel` at a time (a room's phones, not one after another). */
async function inPool<T>(count: number, parallel: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await task(index);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

const statusCounts = (answers: Answer[]) =>
  answers.reduce(
    (counts, answer) => counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1),
    new Map<number, number>(),
  );

async function memberCount(baseUrl: string, owner: Player, gameId: number): Promise<number> {
  return gameDetails.parse((await call(baseUrl, owner.browser, "GET", `/api/games/${gameId}`)).body).members.length;
}

describe("a room behind one client address (default limits)", () => {
  it("lets 320 guests join from one address, none refused", async () => {
    const owner = await newPlayer(url, "venue");
    // Two games of 160: each stays within its link's burst (300), while the one address carries
    // 320 joins, where a per-address limit of 60 refused the 61st.
    const games = [await gameWithLink(owner), await gameWithLink(owner)];
    const address = newAddress();
    const started = Date.now();
    const answers = await inPool(320, 8, (index) =>
      joinAsGuest(games[index % 2]?.code ?? "", `venue-${process.pid % 10000}-${index}`, address),
    );
    expect(statusCounts(answers)).toEqual(new Map([[201, 320]]));
    // A loose bound that still says "quickly": the target is 1,000 within 30 s.
    expect(Date.now() - started).toBeLessThan(30_000);
    for (const game of games) expect(await memberCount(url, owner, game.gameId)).toBe(161);
  });
});

describe("limits per invite link and per game (small limits)", () => {
  const BURST = 20;
  const PER_SECOND = 0.5;
  const CAP = 12;
  let limited: TestServer;
  let owner: Player;

  beforeAll(async () => {
    limited = await startTestServer({
      TRUST_PROXY: "1",
      GUEST_JOIN_BURST: String(BURST),
      GUEST_JOINS_PER_SECOND: String(PER_SECOND),
      GUESTS_PER_GAME: String(CAP),
    });
    owner = await newPlayer(limited.url, "small");
  });

  afterAll(async () => {
    await limited?.stop();
  });

  const join = (code: string, nickname: string, address: string) =>
    joinAsGuest(code, nickname, address, {}, limited.url);

  it("refuses a guest beyond the game's cap with a clear 403 that is not a nickname error", async () => {
    const { gameId, code } = await gameWithLink(owner, limited.url);
    const address = newAddress();
    for (let index = 0; index < CAP; index += 1)
      expect((await join(code, `capped-${index}`, address)).status).toBe(201);
    const full = await join(code, "one-too-many", address);
    expect(full.status).toBe(403);
    expect(errorAnswer.parse(full.body)).toEqual({
      error: "forbidden",
      message: `This game is full: it has room for ${CAP} guests. Ask the host for another game.`,
    });
    expect(full.headers.getSetCookie()).toEqual([]);
    expect(await memberCount(limited.url, owner, gameId)).toBe(CAP + 1);
    // The refused nickname was not created either: it is free for another game.
    const other = await gameWithLink(owner, limited.url);
    expect((await join(other.code, "one-too-many", address)).status).toBe(201);
  });

  it("holds a flood of one link to its burst and the cap, with 429 and Retry-After; other links from the same address still work", async () => {
    const { gameId, code } = await gameWithLink(owner, limited.url);
    const address = newAddress();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 3 * BURST }, (_, index) => join(code, `flood-${index}`, address)),
    );
    const refilled = Math.ceil(((Date.now() - started) / 1000) * PER_SECOND);
    const counts = statusCounts(answers);
    // Accounts: never more than the cap. Work done (created or refused as full): the burst plus
    // what refilled meanwhile. Everything else was refused before any write.
    expect(counts.get(201)).toBe(CAP);
    expect((counts.get(201) ?? 0) + (counts.get(403) ?? 0)).toBeLessThanOrEqual(BURST + refilled);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([201, 403, 429]);
    const refused = answers.find((answer) => answer.status === 429);
    expect(errorAnswer.parse(refused?.body).error).toBe("rate_limited");
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused?.headers.getSetCookie()).toEqual([]);
    expect(await memberCount(limited.url, owner, gameId)).toBe(CAP + 1);
    // The limit is the link's, not the address's: another game's link from there lets a guest in.
    const other = await gameWithLink(owner, limited.url);
    expect((await join(other.code, "after-the-flood", address)).status).toBe(201);
  });

  it("stops joins at once when the owner closes the link, and a regenerated link is a new one", async () => {
    const { gameId, code } = await gameWithLink(owner, limited.url);
    expect((await join(code, "before-closing", newAddress())).status).toBe(201);
    const regenerated = await call(limited.url, owner.browser, "POST", `/api/games/${gameId}/invite-link`);
    const fresh = z.object({ code: z.string() }).parse(regenerated.body).code;
    expect((await join(code, "old-link", newAddress())).status).toBe(404);
    expect((await join(fresh, "new-link", newAddress())).status).toBe(201);
    expect((await call(limited.url, owner.browser, "DELETE", `/api/games/${gameId}/invite-link`)).status).toBe(204);
    expect((await join(fresh, "closed-link", newAddress())).status).toBe(404);
  });
});
