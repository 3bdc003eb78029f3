// The API's Idempotency-Key (docs/api.md) against a real server: a retry with the same key and
// body gets the first answer back and does nothing again, another body is 422, keys belong to
// their caller, a kept refusal is answered again, and a new token is never shown twice.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { refuseWrites } from "../support/refused-writes";
import { startTestServer, type TestServer } from "../support/server";
import { errorAnswer, gameSummary, myGames } from "./answers";
import { call, newPlayer, type Caller, type Player } from "./api-client";

let server: TestServer;
let alice: Player;
let bob: Player;

beforeAll(async () => {
  server = await startTestServer();
  alice = await newPlayer(server.url, "alice");
  bob = await newPlayer(server.url, "bob");
});

afterAll(async () => {
  await server?.stop();
});

const withKey = (caller: Caller, key: string): Caller => ({
  headers: { ...caller.headers, "idempotency-key": key },
});

const createGame = (player: Player, key: string, name: string) =>
  call(server.url, withKey(player.browser, key), "POST", "/api/games", { json: { name } });

async function gamesNamed(player: Player, name: string): Promise<number> {
  const answer = await call(server.url, player.browser, "GET", "/api/games");
  return myGames.parse(answer.body).games.filter((game) => game.name === name).length;
}

it("answers a retry with the first answer and creates the game once", async () => {
  const key = randomUUID();
  const first = await createGame(alice, key, "Once");
  const retry = await createGame(alice, key, "Once");
  expect(first.status).toBe(201);
  expect(first.headers.get("idempotent-replayed")).toBeNull();
  expect(retry.status).toBe(201);
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
  expect(gameSummary.parse(retry.body)).toEqual(gameSummary.parse(first.body));
  expect(first.headers.get("location")).toMatch(/^\/api\/games\/\d+$/);
  expect(retry.headers.get("location")).toBe(first.headers.get("location"));
  expect(await gamesNamed(alice, "Once")).toBe(1);
});

it("refuses the same key with another body with 422, and does nothing", async () => {
  const key = randomUUID();
  expect((await createGame(alice, key, "First body")).status).toBe(201);
  const other = await createGame(alice, key, "Second body");
  expect(other.status).toBe(422);
  expect(errorAnswer.parse(other.body).error).toBe("idempotency_key_reused");
  expect(await gamesNamed(alice, "Second body")).toBe(0);
});

it("keeps keys apart per caller", async () => {
  const key = randomUUID();
  const mine = gameSummary.parse((await createGame(alice, key, "Shared key")).body);
  const theirs = await createGame(bob, key, "Shared key");
  expect(theirs.status).toBe(201);
  expect(theirs.headers.get("idempotent-replayed")).toBeNull();
  expect(gameSummary.parse(theirs.body).id).not.toBe(mine.id);
});

it("answers a kept refusal again, and lets another key through", async () => {
  const key = randomUUID();
  const refused = await createGame(alice, key, "");
  expect(refused.status).toBe(400);
  const again = await createGame(alice, key, "");
  expect(again.status).toBe(400);
  expect(again.headers.get("idempotent-replayed")).toBe("true");
  expect(again.body).toEqual(refused.body);
});

it("refuses a key that is not 1 to 255 visible ASCII characters", async () => {
  for (const key of ["has space", "x".repeat(256), "é"]) {
    const answer = await createGame(alice, key, "Bad key");
    expect({ key, status: answer.status }).toEqual({ key, status: 400 });
  }
  expect(await gamesNamed(alice, "Bad key")).toBe(0);
});

it("creates one game from two requests with one key sent at once", async () => {
  const key = randomUUID();
  const answers = await Promise.all([createGame(alice, key, "At once"), createGame(alice, key, "At once")]);
  // The second either waits out the first's answer (409, retry later) or gets it back.
  expect(answers.map((answer) => answer.status).sort()).toEqual(
    answers.some((answer) => answer.status === 409) ? [201, 409] : [201, 201],
  );
  expect(await gamesNamed(alice, "At once")).toBe(1);
});

it("never shows a new API token twice: a repeat of its key is refused", async () => {
  const key = randomUUID();
  const create = () => call(server.url, withKey(alice.browser, key), "POST", "/api/tokens", { json: { name: "ci" } });
  const first = await create();
  expect(first.status).toBe(201);
  const repeat = await create();
  expect(repeat.status).toBe(409);
  expect(repeat.text).not.toContain("cbt_");
  const list = await call(server.url, alice.browser, "GET", "/api/tokens");
  expect(JSON.stringify(list.body).match(/"name":"ci"/g)).toHaveLength(1);
});

it("answers a first request whose answer the database would not keep, and runs no retry of it meanwhile", async () => {
  const key = randomUUID();
  const allowKeeping = await refuseWrites(server.database, "idempotent_requests", "update");
  let first: Awaited<ReturnType<typeof createGame>>;
  try {
    first = await createGame(alice, key, "Unkept");
  } finally {
    await allowKeeping();
  }
  // The game was created: its caller hears so, rather than a 500 that would have it retry.
  expect(first.status).toBe(201);
  expect(gameSummary.parse(first.body).name).toBe("Unkept");
  expect(server.output()).toContain("could not keep or release an Idempotency-Key");
  // The key is still in flight (for a minute, as if its node had died): a retry is told to wait.
  const retry = await createGame(alice, key, "Unkept");
  expect(retry.status).toBe(409);
  expect(errorAnswer.parse(retry.body).error).toBe("conflict");
  expect(await gamesNamed(alice, "Unkept")).toBe(1);
});
