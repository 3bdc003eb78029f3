// A small HTTP client for the API tests: calls as a signed-in browser (session cookie plus the
// same-origin Origin a browser sends), as a bearer token, or with any raw headers and body.
import { io as connectClient } from "socket.io-client";
import { within, type BusClient } from "../support/bus-harness";
import { signUpAndSignIn } from "../support/session";

export type Caller = { headers: Record<string, string> };
export type Answer = { status: number; body: unknown; text: string; headers: Headers };
export type Body =
  { json: unknown } | { raw: string | Uint8Array<ArrayBuffer> } | { stream: ReadableStream<Uint8Array> };
export type Player = { username: string; cookie: string; browser: Caller };

let players = 0;

/** A fresh account, signed in through Auth.js; names are unique within a test run. */
export async function newPlayer(baseUrl: string, prefix: string): Promise<Player> {
  players += 1;
  const username = `${prefix}_${players}_${process.pid % 10000}`;
  const { cookie } = await signUpAndSignIn(baseUrl, username);
  return { username, cookie, browser: browserCaller(baseUrl, cookie) };
}

/** What a page of this site sends: its session cookie and its own Origin. */
export function browserCaller(baseUrl: string, cookie: string): Caller {
  return { headers: { cookie, origin: new URL(baseUrl).origin } };
}

export function bearerCaller(token: string): Caller {
  return { headers: { authorization: `Bearer ${token}` } };
}

export const anonymous: Caller = { headers: {} };

function encodeBody(body: Body | undefined): { body?: BodyInit; headers: Record<string, string>; duplex?: "half" } {
  if (!body) return { headers: {} };
  if ("json" in body) return { body: JSON.stringify(body.json), headers: { "content-type": "application/json" } };
  if ("raw" in body) return { body: body.raw, headers: { "content-type": "application/json" } };
  // A stream has no Content-Length: the server must count the bytes as they come.
  return { body: body.stream, headers: { "content-type": "application/json" }, duplex: "half" };
}

export async function call(
  baseUrl: string,
  caller: Caller,
  method: string,
  path: string,
  body?: Body,
): Promise<Answer> {
  const encoded = encodeBody(body);
  const init: RequestInit & { duplex?: "half" } = {
    method,
    headers: { ...encoded.headers, ...caller.headers },
    body: encoded.body,
    duplex: encoded.duplex,
    redirect: "manual",
  };
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    parsed = { unparsable: text };
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

/** A socket signed in with the player's session cookie, as a browser tab holds it; resolves once connected. */
export async function playerSocket(baseUrl: string, player: Pick<Player, "cookie">): Promise<BusClient> {
  const socket: BusClient = connectClient(baseUrl, {
    transports: ["websocket"],
    extraHeaders: { cookie: player.cookie },
    reconnection: false,
    forceNew: true,
  });
  await within(
    new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("connect_error", reject)),
    `socket connects to ${baseUrl}`,
  );
  return socket;
}
