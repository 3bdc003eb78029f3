// Click batches over the HTTP API against a real server: counted once per batchId, capped,
// rate-limited with an exact total, and announced on the game's bus channel like a page click.
import { io as connectClient } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { BATCH_BURST } from "@/lib/games/click-rate";
import { MAX_CLICKS_PER_BATCH } from "@/lib/games/schemas";
import { nextNotification, nextRevoked, subscribeOk, within, type BusClient } from "../support/bus-harness";
import { startTestServer, type TestServer } from "../support/server";
import { clicksAnswer, errorAnswer, gameDetails, gameSummary, memberView } from "./answers";
import { call, newPlayer, type Player } from "./api-client";

let server: TestServer;
let url: string;
const sockets: BusClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.stop();
});

async function createGame(owner: Player, name = "Clicks") {
  const answer = await call(url, owner.browser, "POST", "/api/games", { json: { name } });
  expect(answer.status).toBe(201);
  return gameSummary.parse(answer.body);
}

async function total(player: Player, gameId: number): Promise<number> {
  return gameDetails.parse((await call(url, player.browser, "GET", `/api/games/${gameId}`)).body).total;
}

function click(player: Player, gameId: number, count: number, batchId: string) {
  return call(url, player.browser, "POST", `/api/games/${gameId}/clicks`, { json: { count, batchId } });
}

/** A socket signed in with the player's session cookie, as a browser tab holds it. */
async function connect(player: Player): Promise<BusClient> {
  const socket: BusClient = connectClient(url, {
    path: "/socket.io",
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie: player.cookie },
  });
  sockets.push(socket);
  await within(
    new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    }),
    "socket connect",
  );
  return socket;
}

describe("click batches", () => {
  it("adds a batch and answers the new total", async () => {
    const alice = await newPlayer(url, "alice");
    const game = await createGame(alice);
    const first = await click(alice, game.id, 7, "batch-aaaa-0001");
    expect(first.status).toBe(200);
    expect(clicksAnswer.parse(first.body)).toEqual({ total: 7, paceMs: expect.any(Number) });
    expect(clicksAnswer.parse((await click(alice, game.id, 5, "batch-aaaa-0002")).body)).toMatchObject({ total: 12 });
    expect(await total(alice, game.id)).toBe(12);
  });

  it("counts a replayed batchId once", async () => {
    const alice = await newPlayer(url, "alice");
    const game = await createGame(alice);
    expect((await click(alice, game.id, 4, "replayed-batch-01")).body).toMatchObject({ total: 4 });
    expect((await click(alice, game.id, 4, "replayed-batch-01")).body).toMatchObject({ total: 4 });
    const concurrent = await Promise.all([1, 2, 3].map(() => click(alice, game.id, 9, "replayed-batch-02")));
    expect(concurrent.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(await total(alice, game.id)).toBe(13);
  });

  it("refuses a batch over the cap with 400 and changes nothing", async () => {
    const alice = await newPlayer(url, "alice");
    const game = await createGame(alice);
    const over = await click(alice, game.id, MAX_CLICKS_PER_BATCH + 1, "too-many-clicks-1");
    expect(over.status).toBe(400);
    expect(errorAnswer.parse(over.body).error).toBe("invalid");
    expect(await total(alice, game.id)).toBe(0);
    // The refused batchId was not used up: sending it within the cap counts.
    expect((await click(alice, game.id, MAX_CLICKS_PER_BATCH, "too-many-clicks-1")).body).toMatchObject({
      total: MAX_CLICKS_PER_BATCH,
    });
  });

  it("rate-limits quick batches with 429 and counts exactly the accepted ones", async () => {
    const alice = await newPlayer(url, "alice");
    const game = await createGame(alice);
    const statuses: number[] = [];
    let sent = 0;
    // Waves of concurrent batches until the bucket (BATCH_BURST, refilling) runs dry.
    while (!statuses.includes(429) && sent < BATCH_BURST * 20) {
      const wave = await Promise.all(
        Array.from({ length: 30 }, () => click(alice, game.id, 2, `rate-batch-${String(++sent).padStart(4, "0")}`)),
      );
      for (const answer of wave) {
        statuses.push(answer.status);
        if (answer.status === 429) expect(errorAnswer.parse(answer.body).error).toBe("rate_limited");
      }
    }
    const accepted = statuses.filter((status) => status === 200).length;
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    expect(statuses).toContain(429);
    expect(accepted).toBeGreaterThanOrEqual(BATCH_BURST);
    expect(await total(alice, game.id)).toBe(accepted * 2);
  });
});

describe("the bus", () => {
  const notification = z.object({ id: z.number().int(), channel: z.string(), event: z.string(), payload: z.unknown() });
  const tallyPayload = z.object({
    total: z.number(),
    contributions: z.array(z.object({ id: z.number(), username: z.string(), clicks: z.number() })),
  });

  it("delivers a click made through the API to a socket subscribed to the game", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const game = await createGame(alice);
    await call(url, alice.browser, "POST", `/api/games/${game.id}/members`, { json: { username: bob.username } });

    const socket = await connect(bob);
    const channel = `game:${game.id}`;
    expect((await subscribeOk(socket, { channels: [channel] })).granted).toEqual([channel]);
    const received = nextNotification(
      socket,
      (n) => n.channel === channel && n.event === "tally",
      "tally notification",
    );
    expect((await click(alice, game.id, 11, "bus-batch-00001")).body).toMatchObject({ total: 11 });

    const message = notification.parse(await received);
    expect(tallyPayload.parse(message.payload)).toEqual({
      total: 11,
      contributions: [{ id: game.ownerId, username: alice.username, clicks: 11 }],
    });
  });

  it("tells an invited user's lobby, and revokes a removed member's channel at once", async () => {
    const alice = await newPlayer(url, "alice");
    const bob = await newPlayer(url, "bob");
    const game = await createGame(alice);
    const socket = await connect(bob);

    const added = nextNotification(socket, (n) => n.event === "game_added", "game_added");
    const invited = await call(url, alice.browser, "POST", `/api/games/${game.id}/members`, {
      json: { username: bob.username },
    });
    const member = memberView.parse(invited.body);
    expect(notification.parse(await added)).toMatchObject({
      channel: `user:${member.id}`,
      payload: { gameId: game.id, name: game.name },
    });

    const channel = `game:${game.id}`;
    expect((await subscribeOk(socket, { channels: [channel] })).granted).toEqual([channel]);
    const revoked = nextRevoked(socket);
    expect((await call(url, alice.browser, "DELETE", `/api/games/${game.id}/members/${member.id}`)).status).toBe(204);
    expect(await revoked).toEqual({ channel, reason: "removed" });
  });
});
