// The Socket.IO handshake of a real node (docs/protocol.md#connecting): who is refused with
// `unauthorized` or `forbidden_origin`, and that an admitted socket may subscribe to its own user
// channel only.
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/bus/events";
import { startTestServer, type TestServer } from "../support/server";
import { signIn } from "../support/session";

type BusClient = Socket<ServerToClientEvents, ClientToServerEvents>;
type Outcome = { connected: true; socket: BusClient } | { connected: false; message: string };

const SECRET = randomBytes(32).toString("base64url");
const LISTED_ORIGIN = "https://workshop.example";
const COOKIE = "authjs.session-token";
const PASSWORD = "correct-horse-battery";

const subscribeAck = z.object({ granted: z.array(z.string()), denied: z.array(z.string()), last: z.number() });
const createdUser = z.object({ id: z.number().int().positive(), username: z.string() });

let server: TestServer;
const open: BusClient[] = [];

beforeAll(async () => {
  // A known secret lets the tests forge tokens both with it and without it.
  server = await startTestServer({ AUTH_SECRET: SECRET, ALLOWED_ORIGINS: LISTED_ORIGIN });
});
afterAll(async () => {
  await server?.stop();
});
afterEach(() => {
  for (const socket of open.splice(0)) socket.disconnect();
});

/** Creates a user through POST /api/users and signs them in; returns the id and Cookie header. */
async function signedInUser(prefix: string): Promise<{ id: number; cookie: string }> {
  const username = `${prefix}-${randomBytes(4).toString("hex")}`;
  const response = await fetch(`${server.url}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(response.status).toBe(201);
  const { id } = createdUser.parse(await response.json());
  const { cookie } = await signIn(server.url, username, PASSWORD);
  return { id, cookie };
}

/** Opens one WebSocket-only connection and resolves with its first outcome (no reconnection). */
function connect(headers: Record<string, string>): Promise<Outcome> {
  const socket: BusClient = io(server.url, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  });
  open.push(socket);
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ connected: true, socket }));
    socket.once("connect_error", (error) => resolve({ connected: false, message: error.message }));
  });
}

async function refusal(headers: Record<string, string>): Promise<string> {
  const outcome = await connect(headers);
  if (outcome.connected) throw new Error("the handshake was accepted");
  return outcome.message;
}

async function admitted(headers: Record<string, string>): Promise<BusClient> {
  const outcome = await connect(headers);
  if (!outcome.connected) throw new Error(`the handshake was refused: ${outcome.message}`);
  return outcome.socket;
}

async function subscribe(socket: BusClient, channels: string[]) {
  return subscribeAck.parse(await socket.timeout(10_000).emitWithAck("subscribe", { channels }));
}

function forgedCookie(userId: number, secret: string): Promise<string> {
  return encode({ token: { sub: String(userId), epoch: 0, name: "forged" }, secret, salt: COOKIE }).then(
    (token) => `${COOKIE}=${token}`,
  );
}

describe("socket handshake", () => {
  it("refuses a socket without a session cookie as unauthorized", async () => {
    expect(await refusal({})).toBe("unauthorized");
  });

  it("refuses a garbage session cookie as unauthorized", async () => {
    expect(await refusal({ cookie: `${COOKIE}=not-a-jwe-at-all` })).toBe("unauthorized");
    expect(await refusal({ cookie: `${COOKIE}=a.b.c.d.e` })).toBe("unauthorized");
  });

  it("refuses a token signed with another secret, and admits the same token signed with the right one", async () => {
    const { id } = await signedInUser("forger");
    expect(await refusal({ cookie: await forgedCookie(id, randomBytes(32).toString("base64url")) })).toBe(
      "unauthorized",
    );
    // Control: the forged token differs only by its secret, so the refusal above is the secret's doing.
    const socket = await admitted({ cookie: await forgedCookie(id, SECRET) });
    expect((await subscribe(socket, [`user:${id}`])).granted).toEqual([`user:${id}`]);
  });

  it("refuses a valid session from a foreign Origin as forbidden_origin", async () => {
    const { cookie } = await signedInUser("evil");
    expect(await refusal({ cookie, origin: "https://evil.example" })).toBe("forbidden_origin");
  });

  it("admits a valid session from the same origin and grants its own user channel only", async () => {
    const me = await signedInUser("me");
    const other = await signedInUser("other");
    const socket = await admitted({ cookie: me.cookie, origin: server.url });

    const ack = await subscribe(socket, [`user:${me.id}`, `user:${other.id}`]);
    expect(ack.granted).toEqual([`user:${me.id}`]);
    expect(ack.denied).toEqual([`user:${other.id}`]);
  });

  it("admits a valid session from an origin listed in ALLOWED_ORIGINS", async () => {
    const me = await signedInUser("listed");
    const socket = await admitted({ cookie: me.cookie, origin: LISTED_ORIGIN });
    expect((await subscribe(socket, [`user:${me.id}`])).granted).toEqual([`user:${me.id}`]);
  });
});
