// Accounts on a fresh Clickbus node: one owner signed in through Auth.js, players created with
// POST /api/users and given a session cookie minted with the node's AUTH_SECRET (what sign-in
// would return, without the sign-in's scrypt password check per player), an API token each, and
// a seat in the game.
import type { Agent } from "node:http";
import { encode } from "next-auth/jwt";
import { z } from "zod";
import { signUpAndSignIn } from "../support/session";
import { post } from "./http";
import { mapLimit } from "./map-limit";

export type Account = { id: number; username: string; cookie: string; token: string };

const SESSION_COOKIE = "authjs.session-token";
const SETUP_CONCURRENCY = 4;

const created = z.object({ id: z.number().int().positive(), username: z.string() });
const createdGame = z.object({ id: z.number().int().positive() });
const createdToken = z.object({ token: z.string().startsWith("cbt_") });

type Node = { url: string; agent: Agent; secret: string };

export async function postJson<T>(
  node: Node,
  path: string,
  cookie: string,
  body: unknown,
  schema: z.ZodType<T>,
): Promise<T> {
  const headers = { "content-type": "application/json", cookie, origin: node.url };
  const answer = await post(node.agent, `${node.url}${path}`, headers, JSON.stringify(body));
  if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}: ${answer.text}`);
  return schema.parse(JSON.parse(answer.text));
}

async function mintCookie(node: Node, id: number, username: string): Promise<string> {
  // epoch 0: a new account's session epoch (users.session_epoch defaults to 0).
  const value = await encode({
    token: { sub: String(id), name: username, epoch: 0 },
    secret: node.secret,
    salt: SESSION_COOKIE,
  });
  return `${SESSION_COOKIE}=${value}`;
}

async function createPlayer(node: Node, username: string): Promise<Omit<Account, "token">> {
  const answer = await post(
    node.agent,
    `${node.url}/api/users`,
    { "content-type": "application/json" },
    JSON.stringify({ username, password: "bench-password-1" }),
  );
  if (answer.status !== 201) throw new Error(`sign-up of ${username} answered ${answer.status}: ${answer.text}`);
  const user = created.parse(JSON.parse(answer.text));
  return { id: user.id, username: user.username, cookie: await mintCookie(node, user.id, user.username) };
}

/** Creates the owner and the game, then `count` players who are members with a token each; the owner's cookie makes rooms later. */
export async function setUpGame(
  node: Node,
  count: number,
): Promise<{ gameId: number; players: Account[]; ownerCookie: string }> {
  const owner = await signUpAndSignIn(node.url, "bench_owner");
  const { id: gameId } = await postJson(node, "/api/games", owner.cookie, { name: "Bench" }, createdGame);
  const names = Array.from({ length: count }, (_, index) => `bench_p${index + 1}`);
  const players = await mapLimit(names, SETUP_CONCURRENCY, async (username) => {
    const player = await createPlayer(node, username);
    await postJson(node, `/api/games/${gameId}/members`, owner.cookie, { username }, z.unknown());
    const { token } = await postJson(node, "/api/tokens", player.cookie, { name: "bench" }, createdToken);
    return { ...player, token };
  });
  return { gameId, players, ownerCookie: owner.cookie };
}
