// What the action tests check against: a read-only look into the server's database (the
// game, its members, batches, activity and stored bus notifications), and a fresh game world
// per test (alice owns a game with clicks and an invite link, bob plays in it, carol does not).
import { expect } from "vitest";
import { z } from "zod";
import { gameSummary, newToken } from "../api/answers";
import { call, newPlayer, type Player } from "../api/api-client";
import type { TestServer } from "../support/server";
import { conflationSettled } from "../support/conflation-settled";
import { storedRow, storedRows } from "../support/stored-rows";
import type { StoredDatabase } from "../support/test-database";
import { actionCaller, actionResult, valueOf, type ActionCaller } from "./action-client";

/** An id no game will reach in a test run: the "missing game" every refusal is compared with. */
export const MISSING_GAME_ID = 987_654_321;

const gameRow = z.strictObject({
  id: z.number(),
  name: z.string(),
  ownerId: z.number(),
  total: z.number(),
  inviteCode: z.string().nullable(),
});
const memberRow = z.strictObject({ userId: z.number(), role: z.string(), clicks: z.number() });
const countRow = z.strictObject({ n: z.number() });

export type GameSnapshot = {
  game: z.infer<typeof gameRow> | null;
  members: z.infer<typeof memberRow>[];
  batches: number;
  activities: number;
  notifications: number;
};

/**
 * Everything an action could change about the game, straight from the database, once no window's
 * flush is still to come (it would add a notification that no action of the test made).
 */
export async function snapshot(database: StoredDatabase, gameId: number): Promise<GameSnapshot> {
  await conflationSettled(database);
  const game = await storedRow(
    database,
    'SELECT id, name, owner_id AS "ownerId", total, invite_code AS "inviteCode" FROM games WHERE id = ?',
    gameId,
  );
  const members = await storedRows(
    database,
    'SELECT user_id AS "userId", role, clicks FROM members WHERE game_id = ? ORDER BY user_id',
    gameId,
  );
  const count = async (query: string, ...params: (number | string)[]) =>
    countRow.parse(await storedRow(database, query, ...params)).n;
  return {
    game: game === undefined ? null : gameRow.parse(game),
    members: z.array(memberRow).parse(members),
    batches: await count("SELECT count(*) AS n FROM click_batches WHERE game_id = ?", gameId),
    activities: await count("SELECT count(*) AS n FROM activities WHERE game_id = ?", gameId),
    notifications: await count("SELECT count(*) AS n FROM bus_notifications WHERE channel = ?", `game:${gameId}`),
  };
}

export async function gameCount(database: StoredDatabase): Promise<number> {
  return countRow.parse(await storedRow(database, "SELECT count(*) AS n FROM games")).n;
}

export async function tokenIds(database: StoredDatabase, userId: number): Promise<number[]> {
  return z
    .array(z.object({ id: z.number() }))
    .parse(await storedRows(database, "SELECT id FROM api_tokens WHERE user_id = ? ORDER BY id", userId))
    .map((row) => row.id);
}

export async function sessionEpoch(database: StoredDatabase, userId: number): Promise<number> {
  return z
    .object({ e: z.number() })
    .parse(await storedRow(database, "SELECT session_epoch AS e FROM users WHERE id = ?", userId)).e;
}

export type Member = Player & { id: number };
export type World = { alice: Member; bob: Member; carol: Member; gameId: number; games: ActionCaller };

async function createGameFor(url: string, owner: Player, name: string): Promise<number> {
  const answer = await call(url, owner.browser, "POST", "/api/games", { json: { name } });
  expect(answer.status).toBe(201);
  return gameSummary.parse(answer.body).id;
}

export async function userId(database: StoredDatabase, username: string): Promise<number> {
  return z
    .object({ id: z.number() })
    .parse(await storedRow(database, "SELECT id FROM users WHERE username = ?", username)).id;
}

/** A fresh world set up through the HTTP API (plus the owner's own invite-link action). */
export async function world(server: TestServer): Promise<World> {
  const { url, database } = server;
  const [alice, bob, carol] = await Promise.all([
    newPlayer(url, "alice"),
    newPlayer(url, "bob"),
    newPlayer(url, "carol"),
  ]);
  const gameId = await createGameFor(url, alice, "Workshop");
  expect(
    (await call(url, alice.browser, "POST", `/api/games/${gameId}/members`, { json: { username: bob.username } }))
      .status,
  ).toBe(201);
  for (const [player, count] of [
    [alice, 3],
    [bob, 2],
  ] as const) {
    const answer = await call(url, player.browser, "POST", `/api/games/${gameId}/clicks`, {
      json: { count, batchId: `seed-${gameId}-${player.username}` },
    });
    expect(answer.status).toBe(200);
  }
  const games = actionCaller(url, "app/actions/games.ts");
  expect(
    valueOf(await games("regenerateInviteLinkAction", [gameId], { cookie: alice.cookie }), actionResult),
  ).toMatchObject({ ok: true, value: expect.stringMatching(/^[\w-]{16,64}$/) });
  const withId = async (player: Player): Promise<Member> => ({
    ...player,
    id: await userId(database, player.username),
  });
  return { alice: await withId(alice), bob: await withId(bob), carol: await withId(carol), gameId, games };
}

/** A token of `player`'s, made through POST /api/tokens. */
export async function tokenOf(url: string, player: Player, name = "script"): Promise<z.infer<typeof newToken>> {
  const answer = await call(url, player.browser, "POST", "/api/tokens", { json: { name } });
  expect(answer.status).toBe(201);
  return newToken.parse(answer.body);
}
