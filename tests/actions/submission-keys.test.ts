// A form submission sent again with its key (app/components/use-keyed-submit.ts) — a retry after
// its answer was lost — gets the first answer back instead of doing the work twice; the same key
// with other fields is refused, and forms without a key work as before.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { createdState, form, formState, refusalOf, valueOf } from "./action-client";
import { gameCount, world, type World } from "./game-state";

let server: TestServer;
let w: World;

beforeAll(async () => {
  server = await startTestServer();
  w = await world(server);
});

afterAll(async () => {
  await server?.stop();
});

const createGame = (fields: Record<string, string>) =>
  w.games("createGameAction", [{}, form(fields)], { cookie: w.alice.cookie });

it("makes one game of a submission sent twice with its key, and opens it both times", async () => {
  const before = await gameCount(server.database);
  const submissionKey = randomUUID();
  const first = valueOf(await createGame({ name: "Keyed", submissionKey }), createdState);
  const retry = valueOf(await createGame({ name: "Keyed", submissionKey }), createdState);
  expect(retry.gameId).toBe(first.gameId);
  expect(await gameCount(server.database)).toBe(before + 1);
});

it("refuses the key of another submission, and makes nothing", async () => {
  const submissionKey = randomUUID();
  valueOf(await createGame({ name: "First", submissionKey }), createdState);
  const before = await gameCount(server.database);
  expect(refusalOf(await createGame({ name: "Changed", submissionKey })).message).toMatch(/another request/);
  expect(await gameCount(server.database)).toBe(before);
});

it("makes a game per submission without a key", async () => {
  const before = await gameCount(server.database);
  const [one, two] = [await createGame({ name: "Plain" }), await createGame({ name: "Plain" })];
  expect(valueOf(one, createdState).gameId).not.toBe(valueOf(two, createdState).gameId);
  expect(await gameCount(server.database)).toBe(before + 2);
});

it("answers an invitation's retry as it answered the invitation, not as 'already in this game'", async () => {
  const submissionKey = randomUUID();
  const invite = () =>
    w.games("inviteMemberAction", [w.gameId, {}, form({ username: w.carol.username, submissionKey })], {
      cookie: w.alice.cookie,
    });
  const first = valueOf(await invite(), formState);
  const retry = valueOf(await invite(), formState);
  expect(first).toMatchObject({ ok: true, message: `${w.carol.username} joined the game.` });
  expect(retry).toMatchObject({ ok: true, message: first.message });
});
