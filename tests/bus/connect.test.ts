// Integration: who gets a socket at all. API tokens and Auth.js session cookies are admitted
// and put in their own user channel; anything else is refused with `unauthorized` (or
// `forbidden_origin`) before it can subscribe to or receive anything.
import { randomBytes, randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { nextNotification, busHarnessForFile, subscribeOk, type TestUser } from "../support/bus-harness";

// One trusted proxy, so a handshake can say it came over HTTPS (X-Forwarded-Proto).
const h = busHarnessForFile({ env: { TRUST_PROXY: "1" } });
const overHttps = { "x-forwarded-proto": "https" };
const SECURE_NAME = "__Secure-authjs.session-token";
let alice: TestUser;
let gameId: number;

beforeAll(async () => {
  alice = await h.user("alice");
  gameId = (await h.lib.games.createGame(alice, { name: "Guarded" })).id;
});

const forge = async (
  claims: Record<string, unknown>,
  secret = process.env.AUTH_SECRET ?? "",
  salt = "authjs.session-token",
) => `${salt}=${await encode({ token: claims, secret, salt })}`;

describe("admitted sockets", () => {
  it.each(["token", "cookie"] as const)("admits a %s and joins the user's own channel", async (via) => {
    const tab = await h.connect(alice, { via });
    const arrives = nextNotification(tab, (n) => n.channel === `user:${alice.id}` && n.event === "game_added");
    await h.lib.games.createGame(alice, { name: `Via ${via}` });
    expect((await arrives).payload).toMatchObject({ name: `Via ${via}` });
    expect((await subscribeOk(tab, { channels: [`game:${gameId}`] })).granted).toEqual([`game:${gameId}`]);
  });

  it("accepts the __Secure- cookie and the https:// Origin under HTTPS, the plain cookie over HTTP", async () => {
    const secureCookie = await forge({ sub: String(alice.id), name: alice.username, epoch: 0 }, undefined, SECURE_NAME);
    const plainCookie = await forge({ sub: String(alice.id), name: alice.username, epoch: 0 });
    const host = new URL(h.url).host;
    const tabs = [
      await h.connectWith({ cookie: secureCookie, headers: overHttps }),
      await h.connectWith({ cookie: secureCookie, headers: overHttps, origin: `https://${host}` }),
      await h.connectWith({ cookie: plainCookie, origin: h.url }),
    ];
    for (const tab of tabs) {
      const arrives = nextNotification(tab, (n) => n.event === "game_added");
      await h.lib.games.createGame(alice, { name: "Secure" });
      await arrives;
    }
  });
});

describe("cookie names and origins by scheme", () => {
  const cookie = (name?: string) => forge({ sub: String(alice.id), name: alice.username, epoch: 0 }, undefined, name);

  it("refuses the plain cookie under HTTPS (it could have been planted over HTTP) and the __Secure- one over HTTP", async () => {
    expect(await h.refusedConnection({ cookie: await cookie(), headers: overHttps })).toBe("unauthorized");
    expect(await h.refusedConnection({ cookie: await cookie(SECURE_NAME) })).toBe("unauthorized");
  });

  it("refuses an Origin whose scheme is not the request's, although the host is", async () => {
    const host = new URL(h.url).host;
    expect(await h.refusedConnection({ token: alice.token, headers: overHttps, origin: `http://${host}` })).toBe(
      "forbidden_origin",
    );
    expect(await h.refusedConnection({ token: alice.token, origin: `https://${host}` })).toBe("forbidden_origin");
  });
});

describe("refused sockets", () => {
  const unauthorized: Array<[string, () => Promise<{ token?: unknown; cookie?: string }>]> = [
    ["no credentials", async () => ({})],
    ["an unknown API token", async () => ({ token: `cbt_${randomBytes(24).toString("base64url")}` })],
    ["a token without the prefix", async () => ({ token: randomUUID() })],
    ["a token that is not a string", async () => ({ token: { $ne: null } })],
    ["an oversized token", async () => ({ token: `cbt_${"x".repeat(10_000)}` })],
    ["a garbage cookie", async () => ({ cookie: "authjs.session-token=not-a-jwt" })],
    [
      "a cookie signed with another secret",
      async () => ({ cookie: await forge({ sub: String(alice.id), epoch: 0 }, randomBytes(32).toString("base64url")) }),
    ],
    ["a cookie for a user that does not exist", async () => ({ cookie: await forge({ sub: "999999", epoch: 0 }) })],
    ["a cookie from an old session epoch", async () => ({ cookie: await forge({ sub: String(alice.id), epoch: -1 }) })],
    ["a cookie without an epoch", async () => ({ cookie: await forge({ sub: String(alice.id) }) })],
    [
      "a cookie under another name",
      async () => ({
        cookie: (await forge({ sub: String(alice.id), epoch: 0 })).replace("authjs.session-token", "session"),
      }),
    ],
  ];

  it.each(unauthorized)("refuses %s with `unauthorized`", async (_, credentials) => {
    expect(await h.refusedConnection(await credentials())).toBe("unauthorized");
  });

  it("refuses a foreign Origin with `forbidden_origin`, even with valid credentials", async () => {
    expect(await h.refusedConnection({ token: alice.token, origin: "https://evil.example" })).toBe("forbidden_origin");
    expect(await h.refusedConnection({ token: alice.token, origin: "null" })).toBe("forbidden_origin");
  });

  it("never delivers anything to a refused socket, while admitted ones keep receiving", async () => {
    const member = await h.connect(alice);
    await subscribeOk(member, { channels: [`game:${gameId}`] });
    const { io: connect } = await import("socket.io-client");
    const intruder = connect(h.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      auth: { token: "cbt_nope" },
    });
    const received: unknown[] = [];
    intruder.onAny((...args: unknown[]) => received.push(args));
    const refused = new Promise<string>((resolve) =>
      intruder.once("connect_error", (error: Error) => resolve(error.message)),
    );
    expect(await refused).toBe("unauthorized");
    // It cannot even emit: socket.io-client buffers until a connection that never comes.
    intruder.emit("subscribe", { channels: [`game:${gameId}`] });
    const arrives = nextNotification(member, (n) => n.event === "tally");
    await h.lib.clicks.addClicks(alice, { gameId, count: 1, batchId: randomUUID() });
    await arrives;
    await h.sync(member);
    expect(intruder.connected).toBe(false);
    expect(received).toEqual([]);
    expect([...h.bus.io.sockets.sockets.values()].every((socket) => socket.data.user.id === alice.id)).toBe(true);
    intruder.close();
  });
});
