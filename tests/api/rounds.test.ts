// Timed rounds over the HTTP API against a real server: owner-only start (5–600 s, 409 while one
// runs), clicks committed during the round count per player, the server ends it on time and
// announces the podium on the game channel, the owner may end it early, and the history lists
// rounds newest first. Non-members get 404, like for any game they may not see.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { z } from "zod";
import type { BusClient } from "../support/bus-harness";
import { nextNotification, subscribeOk } from "../support/bus-harness";
import { startTestServer, type TestServer } from "../support/server";
import { errorAnswer, gameSummary } from "./answers";
import { call, newPlayer, playerSocket, type Player } from "./api-client";

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
});

afterAll(() => server?.stop());

const podium = z.array(z.strictObject({ userId: z.number().int(), username: z.string(), clicks: z.number().int() }));
const started = z.strictObject({
  id: z.number().int().positive(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
});
const roundView = started.extend({ endedAt: z.iso.datetime().nullable(), podium });
const roundList = z.strictObject({ rounds: z.array(roundView) });
const roundEnded = z.object({ id: z.number().int(), podium });

async function gameOf(owner: Player, ...players: Player[]): Promise<number> {
  const game = gameSummary.parse(
    (await call(url, owner.browser, "POST", "/api/games", { json: { name: "Round game" } })).body,
  );
  for (const player of players)
    expect(
      (await call(url, owner.browser, "POST", `/api/games/${game.id}/members`, { json: { username: player.username } }))
        .status,
    ).toBe(201);
  return game.id;
}

async function click(player: Player, gameId: number, count: number): Promise<void> {
  expect(
    (await call(url, player.browser, "POST", `/api/games/${gameId}/clicks`, { json: { count, batchId: randomUUID() } }))
      .status,
  ).toBe(200);
}

async function watch(player: Player, gameId: number): Promise<BusClient> {
  const socket = await playerSocket(url, player);
  onTestFinished(() => void socket.disconnect());
  await subscribeOk(socket, { channels: [`game:${gameId}`] });
  return socket;
}

async function rounds(player: Player, gameId: number) {
  const answer = await call(url, player.browser, "GET", `/api/games/${gameId}/rounds`);
  expect(answer.status).toBe(200);
  return roundList.parse(answer.body).rounds;
}

describe("timed rounds", () => {
  let alice: Player;
  let bob: Player;
  let carol: Player;
  beforeAll(async () => {
    [alice, bob, carol] = await Promise.all([newPlayer(url, "alice"), newPlayer(url, "bob"), newPlayer(url, "carol")]);
  });

  it("counts the clicks committed during a 5 s round per player and ends it on time with the podium", async () => {
    const gameId = await gameOf(alice, bob);
    await click(alice, gameId, 7); // before the round: counts to the total only
    const socket = await watch(bob, gameId);
    const announced = nextNotification(socket, (n) => n.event === "round_started");
    const answer = await call(url, alice.browser, "POST", `/api/games/${gameId}/rounds`, { json: { seconds: 5 } });
    expect(answer.status).toBe(201);
    const round = started.parse(answer.body);
    expect(Date.parse(round.endsAt) - Date.parse(round.startsAt)).toBe(5000);
    expect((await announced).payload).toEqual({ id: round.id, endsAt: round.endsAt });

    // Listening from now on; the round lasts 5 s, so the wait is bounded above that.
    const ended = nextNotification(socket, (n) => n.event === "round_ended", "round_ended", 10_000).then((n) => ({
      at: Date.parse(n.at),
      payload: roundEnded.parse(n.payload),
    }));
    await click(bob, gameId, 3);
    await click(alice, gameId, 2);
    await click(bob, gameId, 4);
    const { at, payload } = await ended;
    expect(payload).toEqual({
      id: round.id,
      podium: [
        { userId: expect.any(Number), username: bob.username, clicks: 7 },
        { userId: expect.any(Number), username: alice.username, clicks: 2 },
      ],
    });
    // The server ended it, at its end and not much later.
    expect(at).toBeGreaterThanOrEqual(Date.parse(round.endsAt));
    expect(at - Date.parse(round.endsAt)).toBeLessThan(1500);

    // After the end clicks count to the total, not to the round.
    await click(bob, gameId, 10);
    const [stored] = await rounds(alice, gameId);
    expect(stored).toMatchObject({ id: round.id, podium: payload.podium });
    expect(stored?.endedAt).not.toBeNull();
  }, 20_000);

  it("refuses a second round while one runs (409), lets the owner end it early, and lists rounds newest first", async () => {
    const gameId = await gameOf(alice);
    const first = started.parse(
      (await call(url, alice.browser, "POST", `/api/games/${gameId}/rounds`, { json: { seconds: 600 } })).body,
    );
    const again = await call(url, alice.browser, "POST", `/api/games/${gameId}/rounds`, { json: { seconds: 30 } });
    expect(again.status).toBe(409);
    expect(errorAnswer.parse(again.body).error).toBe("conflict");
    expect((await rounds(alice, gameId))[0]).toMatchObject({ id: first.id, endedAt: null, podium: [] });

    await click(alice, gameId, 5);
    const early = await call(url, alice.browser, "POST", `/api/games/${gameId}/rounds/${first.id}/end`);
    expect(early.status).toBe(200);
    expect(roundView.parse(early.body).podium).toEqual([
      { userId: expect.any(Number), username: alice.username, clicks: 5 },
    ]);
    expect((await call(url, alice.browser, "POST", `/api/games/${gameId}/rounds/${first.id}/end`)).status).toBe(409);

    const second = started.parse(
      (await call(url, alice.browser, "POST", `/api/games/${gameId}/rounds`, { json: { seconds: 5 } })).body,
    );
    expect((await rounds(alice, gameId)).map((round) => round.id)).toEqual([second.id, first.id]);
  });

  it.each([[4], [601], [5.5], ["10"], [null]])("refuses seconds=%j with 400", async (seconds) => {
    const gameId = await gameOf(alice);
    const answer = await call(url, alice.browser, "POST", `/api/games/${gameId}/rounds`, { json: { seconds } });
    expect(answer.status).toBe(400);
    expect(errorAnswer.parse(answer.body).fields).toHaveProperty("seconds");
  });

  it("is the owner's: a member gets 403, a non-member 404 for start, end and history alike", async () => {
    const gameId = await gameOf(alice, bob);
    const round = started.parse(
      (await call(url, alice.browser, "POST", `/api/games/${gameId}/rounds`, { json: { seconds: 60 } })).body,
    );
    expect(
      (await call(url, bob.browser, "POST", `/api/games/${gameId}/rounds`, { json: { seconds: 60 } })).status,
    ).toBe(403);
    expect((await call(url, bob.browser, "POST", `/api/games/${gameId}/rounds/${round.id}/end`)).status).toBe(403);
    expect((await call(url, bob.browser, "GET", `/api/games/${gameId}/rounds`)).status).toBe(200);
    for (const [method, path] of [
      ["POST", `/api/games/${gameId}/rounds`],
      ["POST", `/api/games/${gameId}/rounds/${round.id}/end`],
      ["GET", `/api/games/${gameId}/rounds`],
      ["GET", `/api/games/999999/rounds`],
    ] as const) {
      const answer = await call(
        url,
        carol.browser,
        method,
        path,
        method === "POST" ? { json: { seconds: 60 } } : undefined,
      );
      expect(answer.status, `${method} ${path}`).toBe(404);
    }
  });
});
