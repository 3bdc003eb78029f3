// What the action tests check against: a read-only look into the server's SQLite file (the
// game, its members, batches, activity and stored bus notifications), and a fresh game world
// per test (alice owns a game with clicks and an invite link, bob plays in it, carol does not).
import Database from "better-sqlite3";
import { expect } from "vitest";
import { z } from "zod";
import { gameSummary, newToken } from "../api/answers";
import { call, newPlayer, type Player } from "../api/api-client";
import type { TestServer } from "../support/server";
import { actionCaller, actionResult, valueOf, type ActionCaller } from "./action-client";

/** An id no game will reach in a test run: the "missing game" every refusal is compared with. */
export const MISSING_GAME_ID = 987_654_321;

const gameRow = z.strictObject({ id: z.number(), name: z.string(), ownerId: z.number(), total: z.number(), inviteCode: z.string().nullable() });
const memberRow = z.strictObject({ userId: z.number(), role: z.string(), clicks: z.number() });
const countRow = z.strictObject({ n: z.number() });

export type GameSnapshot = {
  game: z.infer<typeof gameRow> | null;
  members: z.infer<typeof memberRow>[];
  batches: number;
  activities: number;
  notifications: number;
};

function readOnly<T>(databasePath: string, read: (db: Database.Database) => T): T {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Everything an action could change about the game, straight from the database. */
export function snapshot(databasePath: string, gameId: number): GameSnapshot {
  return readOnly(databasePath, (db) => {
    const game = db.prepare("SELECT id, name, owner_id AS ownerId, total, invite_code AS inviteCode FROM games WHERE id = ?").get(gameId);
    const members = db.prepare("SELECT user_id AS userId, role, clicks FROM members WHERE game_id = ? ORDER BY user_id").all(gameId);
    const count = (sql: string, ...params: (number | string)[]) => countRow.parse(db.prepare(sql).get(...params)).n;
    return {
      game: game === undefined ? null : gameRow.parse(game),
      members: z.array(memberRow).parse(members),
      batches: count("SELECT count(*) AS n FROM click_batches WHERE game_id = ?", gameId),
      activities: count("SELECT count(*) AS n FROM activities WHERE game_id = ?", gameId),
      notifications: count("SELECT count(*) AS n FROM bus_notifications WHERE channel = ?", `game:${gameId}`),
    };
  });
}

export function gameCount(databasePath: string): number {
  return readOnly(databasePath, (db) => countRow.parse(db.prepare("SELECT count(*) AS n FROM games").get()).n);
}

export function tokenIds(databasePath: string, userId: number): number[] {
  return readOnly(databasePath, (db) => z.array(z.object({ id: z.number() })).parse(db.prepare("SELECT id FROM api_tokens WHERE user_id = ? ORDER BY id").all(userId)).map((row) => row.id));
}

export function sessionEpoch(databasePath: string, userId: number): number {
  return readOnly(databasePath, (db) => z.object({ e: z.number() }).parse(db.prepare("SELECT session_epoch AS e FROM users WHERE id = ?").get(userId)).e);
}

export type Member = Player & { id: number };
export type World = { alice: Member; bob: Member; carol: Member; gameId: number; games: ActionCaller };

async function createGameFor(url: string, owner: Player, name: string): Promise<number> {
  const answer = await call(url, owner.browser, "POST", "/api/games", { json: { name } });
  expect(answer.status).toBe(201);
  return gameSummary.parse(answer.body).id;
}

export function userId(databasePath: string, username: string): number {
  return readOnly(databasePath, (db) => z.object({ id: z.number() }).parse(db.prepare("SELECT id FROM users WHERE username = ?").get(username)).id);
}

/** A fresh world set up through the HTTP API (plus the owner's own invite-link action). */
export async function world(server: TestServer): Promise<World> {
  const { url, databasePath } = server;
  const [alice, bob, carol] = await Promise.all([newPlayer(url, "alice"), newPlayer(url, "bob"), newPlayer(url, "carol")]);
  const gameId = await createGameFor(url, alice, "Workshop");
  expect((await call(url, alice.browser, "POST", `/api/games/${gameId}/members`, { json: { username: bob.username } })).status).toBe(201);
  for (const [player, count] of [[alice, 3], [bob, 2]] as const) {
    const answer = await call(url, player.browser, "POST", `/api/games/${gameId}/clicks`, { json: { count, batchId: `seed-${gameId}-${player.username}` } });
    expect(answer.status).toBe(200);
  }
  const games = actionCaller(url, "app/actions/games.ts");
  expect(valueOf(await games("regenerateInviteLinkAction", [gameId], { cookie: alice.cookie }), actionResult)).toMatchObject({ ok: true, value: expect.stringMatching(/^[\w-]{16,64}$/) });
  const withId = (player: Player): Member => ({ ...player, id: userId(databasePath, player.username) });
  return { alice: withId(alice), bob: withId(bob), carol: withId(carol), gameId, games };
}

/** A token of `player`'s, made through POST /api/tokens. */
export async function tokenOf(url: string, player: Player, name = "script"): Promise<z.infer<typeof newToken>> {
  const answer = await call(url, player.browser, "POST", "/api/tokens", { json: { name } });
  expect(answer.status).toBe(201);
  return newToken.parse(answer.body);
}
