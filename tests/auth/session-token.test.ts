// lib/auth/session-token.ts on a real database (either engine): a session cookie names its user
// while the token is valid, only under the cookie name of the request's scheme, and decoded
// tokens kept for reuse never outlive their expiry or the epoch.
import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { busHarnessForFile } from "../support/bus-harness";

const harness = busHarnessForFile();
const SALT = "authjs.session-token";
const SECURE_SALT = "__Secure-authjs.session-token";

// Imported only once the harness has set the database and secret: the config is read once.
const sessionModule = () => import("@/lib/auth/session-token");
const userFromCookieHeader = async (header: string | undefined, scheme: "http" | "https" = "http") =>
  (await (await sessionModule()).sessionFromCookieHeader(header, scheme))?.user ?? null;

afterEach(() => {
  vi.useRealTimers();
});

async function cookieFor(
  user: { id: number; username: string },
  options: { epoch?: number; maxAge?: number; salt?: string } = {},
): Promise<string> {
  const secret = process.env.AUTH_SECRET ?? "";
  const salt = options.salt ?? SALT;
  const token = await encode({
    token: { sub: String(user.id), name: user.username, epoch: options.epoch ?? 0 },
    secret,
    salt,
    maxAge: options.maxAge,
  });
  return `theme=dark; ${salt}=${token}`;
}

describe("sessionFromCookieHeader", () => {
  it("accepts only the __Secure- cookie under HTTPS and only the plain one over HTTP", async () => {
    const erin = await harness.user("erin");
    const plain = await cookieFor(erin);
    const secure = await cookieFor(erin, { salt: SECURE_SALT });
    expect(await userFromCookieHeader(plain, "http")).toEqual({ id: erin.id, username: erin.username });
    expect(await userFromCookieHeader(secure, "https")).toEqual({ id: erin.id, username: erin.username });
    expect(await userFromCookieHeader(plain, "https")).toBeNull();
    expect(await userFromCookieHeader(secure, "http")).toBeNull();
    // A plain cookie planted over HTTP beside the real one changes nothing under HTTPS.
    const planted = await cookieFor(await harness.user("mallory"));
    expect(await userFromCookieHeader(`${planted}; ${secure}`, "https")).toEqual({
      id: erin.id,
      username: erin.username,
    });
    expect((await sessionModule()).sessionCookieName("https")).toBe(SECURE_SALT);
  });

  it("names the user of a valid cookie, the first time and every time after", async () => {
    const alice = await harness.user("alice");
    const cookie = await cookieFor(alice);
    expect(await userFromCookieHeader(cookie)).toEqual({ id: alice.id, username: alice.username });
    expect(await userFromCookieHeader(cookie)).toEqual({ id: alice.id, username: alice.username });
  });

  it("refuses a token it has read before once it expires", async () => {
    const bob = await harness.user("bob");
    const cookie = await cookieFor(bob, { maxAge: 60 });
    expect(await userFromCookieHeader(cookie)).toEqual({ id: bob.id, username: bob.username });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await userFromCookieHeader(cookie)).toBeNull();
  });

  it("refuses a token it has read before once the user signs out everywhere", async () => {
    const carol = await harness.user("carol");
    const cookie = await cookieFor(carol);
    expect(await userFromCookieHeader(cookie)).not.toBeNull();
    await harness.lib.signOut.signOutEverywhere(carol.id);
    expect(await userFromCookieHeader(cookie)).toBeNull();
    expect(await userFromCookieHeader(await cookieFor(carol, { epoch: 1 }))).toEqual({
      id: carol.id,
      username: carol.username,
    });
  });

  it("refuses tampered, foreign and absent tokens, however often they come", async () => {
    const dave = await harness.user("dave");
    const cookie = await cookieFor(dave);
    const tampered = `${cookie.slice(0, -3)}${cookie.endsWith("A") ? "B" : "A"}aa`;
    const foreign = `${SALT}=${await encode({ token: { sub: String(dave.id), epoch: 0 }, secret: "some-other-secret-of-32-characters!", salt: SALT })}`;
    for (const header of [tampered, tampered, foreign, foreign, "theme=dark", undefined])
      expect(await userFromCookieHeader(header)).toBeNull();
  });

  it("shares what it decoded with the other copies of the module in the process (Next's bundles have one)", async () => {
    const frank = await harness.user("frank");
    const cookie = await cookieFor(frank);
    expect(await userFromCookieHeader(cookie)).toEqual({ id: frank.id, username: frank.username });
    // A second copy of the module, whose decoder fails: it must answer from what the first decoded.
    vi.resetModules();
    const decodes: string[] = [];
    vi.doMock("next-auth/jwt", () => ({
      decode: async ({ token }: { token: string }) => {
        decodes.push(token);
        throw new Error("decoded again");
      },
    }));
    try {
      const secondCopy = await import("@/lib/auth/session-token");
      const session = await secondCopy.sessionFromCookieHeader(cookie, "http");
      expect(session?.user).toEqual({ id: frank.id, username: frank.username });
      expect(decodes).toEqual([]);
    } finally {
      vi.doUnmock("next-auth/jwt");
      vi.resetModules();
    }
  });
});
