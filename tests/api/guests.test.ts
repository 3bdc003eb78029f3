// Guest join over the HTTP API against a real server (TRUST_PROXY=1, so each test is its own
// client address through X-Forwarded-For): a guest is signed in and a member, nicknames follow
// the username grammar and are unique, the invite code must be valid, cross-site posts are
// refused, and joins are rate-limited per client address with 429 and Retry-After.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GUEST_JOIN_BURST, GUEST_JOINS_PER_SECOND } from "@/lib/games/guests";
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

const guestAnswer = z.strictObject({ gameId: z.number().int().positive(), user: z.strictObject({ id: z.number().int().positive(), username: z.string() }) });

/** A client address no other test uses (the proxy's X-Forwarded-For entry). */
function newAddress(): string {
  addressCount += 1;
  return `198.51.100.${addressCount}`;
}

async function gameWithLink(owner: Player): Promise<{ gameId: number; code: string }> {
  const game = gameSummary.parse((await call(url, owner.browser, "POST", "/api/games", { json: { name: "Guests welcome" } })).body);
  const link = await call(url, owner.browser, "POST", `/api/games/${game.id}/invite-link`);
  expect(link.status).toBe(201);
  return { gameId: game.id, code: z.object({ code: z.string() }).parse(link.body).code };
}

function joinAsGuest(code: string, nickname: unknown, address: string, headers: Record<string, string> = {}): Promise<Answer> {
  return call(url, { headers: { "x-forwarded-for": `203.0.113.9, ${address}`, ...headers } }, "POST", `/api/invites/${code}/guests`, { json: { nickname } });
}

function sessionCookieOf(answer: Answer): string {
  const cookie = answer.headers.getSetCookie().map((line) => line.split(";")[0] ?? "").find((pair) => pair.startsWith("authjs.session-token="));
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
    const clicks = await call(url, { headers: { cookie, origin: url } }, "POST", `/api/games/${invite.gameId}/clicks`, { json: { count: 3, batchId: "guest-one-batch-1" } });
    expect(clicks.status).toBe(200);
  });

  it("gives a guest no password anyone could sign in with", async () => {
    await joinAsGuest(invite.code, "no-password", newAddress());
    await expect(signIn(url, "no-password", "")).rejects.toThrow(/sign-in of no-password failed/);
    await expect(signIn(url, "no-password", "any-password-at-all")).rejects.toThrow(/sign-in of no-password failed/);
  });

  it.each([["ab"], ["has space"], ["x".repeat(33)], ["émile"], [42]])("refuses the nickname %j with a field error", async (nickname) => {
    const answer = await joinAsGuest(invite.code, nickname, newAddress());
    expect(answer.status).toBe(400);
    expect(errorAnswer.parse(answer.body).fields).toHaveProperty("nickname");
  });

  it("refuses a nickname that a guest or an account already has, whatever its case", async () => {
    expect((await joinAsGuest(invite.code, "taken-name", newAddress())).status).toBe(201);
    const again = await joinAsGuest(invite.code, "TAKEN-name", newAddress());
    expect(again.status).toBe(409);
    expect(errorAnswer.parse(again.body)).toMatchObject({ error: "conflict", message: "That nickname is taken. Try another one." });
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

describe("guest join rate limit per client address", () => {
  it("lets a burst of joins through from one address, then answers 429 with Retry-After; other addresses are not affected", async () => {
    const owner = await newPlayer(url, "crowded");
    const { code } = await gameWithLink(owner);
    const address = newAddress();
    // A well-formed unknown code costs a join from the address's budget like a real one. The
    // bucket holds GUEST_JOIN_BURST and refills while the joins are sent, so joins go on until the
    // first 429; how many passed must fit the burst plus the refill over the time taken.
    const started = Date.now();
    let passed = 0;
    let limited: Answer | undefined;
    while (!limited) {
      const answer = await joinAsGuest("B".repeat(24), `probe-${passed}`, address);
      if (answer.status === 429) limited = answer;
      else {
        expect(answer.status).toBe(404);
        passed += 1;
      }
      const refilled = Math.ceil(((Date.now() - started) / 1000) * GUEST_JOINS_PER_SECOND);
      expect(passed).toBeLessThanOrEqual(GUEST_JOIN_BURST + refilled);
    }
    expect(passed).toBeGreaterThanOrEqual(GUEST_JOIN_BURST);
    expect(errorAnswer.parse(limited.body).error).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.getSetCookie()).toEqual([]);
    // The client address is the proxy's entry, not the forgeable leftmost one.
    expect((await joinAsGuest(code, "one-too-many", newAddress())).status).toBe(201);
  });
});
