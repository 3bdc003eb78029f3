// The world the HTTP and action fuzzers act on: alice owns the main game (bob plays in it, it has
// an invite link), carol owns another; alice and bob have API tokens. An accepted input may
// break it (the game deleted, bob removed, a token revoked); `repair` puts it back between inputs.
import { setTimeout as pause } from "node:timers/promises";
import Database from "better-sqlite3";
import { z } from "zod";
import { world, type Member } from "../actions/game-state";
import { gameSummary, memberView, newToken } from "../api/answers";
import { browserCaller, call, type Player } from "../api/api-client";
import { signIn, SignInRefused } from "../support/session";
import type { TestServer } from "../support/server";

export type FuzzWorld = {
  owner: Member;
  member: Member;
  outsider: Member;
  gameId: number;
  foreignGameId: number;
  tokens: { owner: z.infer<typeof newToken>; member: z.infer<typeof newToken> };
  /** The session epoch each player's cookie was issued in ("sign out everywhere" bumps it). */
  epochs: Map<number, number>;
};

/** newPlayer's password (tests/support/session.ts). */
const PASSWORD = "correct-horse-battery";

/** A record id no test reaches. */
export const MISSING_ID = 987_654_321;

const row = z.object({ n: z.number() });
const codeRow = z.object({ code: z.string().nullable() });
const roundRow = z.object({ id: z.number() }).optional();
const epochRow = z.object({ epoch: z.number() });

async function expectStatus(
  answer: Promise<{ status: number; text: string }>,
  status: number,
  what: string,
): Promise<void> {
  const { status: got, text } = await answer;
  if (got !== status) throw new Error(`repairing the fuzz world: ${what} answered ${got} ${text}`);
}

async function gameOf(server: TestServer, owner: Player, name: string): Promise<number> {
  const created = await call(server.url, owner.browser, "POST", "/api/games", { json: { name } });
  return gameSummary.parse(created.body).id;
}

async function tokenFor(server: TestServer, player: Player): Promise<z.infer<typeof newToken>> {
  return newToken.parse(
    (await call(server.url, player.browser, "POST", "/api/tokens", { json: { name: "fuzz" } })).body,
  );
}

export async function fuzzWorld(server: TestServer): Promise<FuzzWorld> {
  const w = await world(server);
  return {
    owner: w.alice,
    member: w.bob,
    outsider: w.carol,
    gameId: w.gameId,
    foreignGameId: await gameOf(server, w.carol, "Elsewhere"),
    tokens: { owner: await tokenFor(server, w.alice), member: await tokenFor(server, w.bob) },
    epochs: new Map([w.alice, w.bob, w.carol].map((player) => [player.id, 0])),
  };
}

/** Read-only questions about the world, straight from the database. */
export class WorldLookup {
  private readonly db: Database.Database;

  constructor(databasePath: string) {
    this.db = new Database(databasePath, { readonly: true, fileMustExist: true });
  }

  private count(sql: string, ...params: number[]): number {
    return row.parse(this.db.prepare(sql).get(...params)).n;
  }

  gameExists = (gameId: number) => this.count("SELECT count(*) AS n FROM games WHERE id = ?", gameId) > 0;
  isMember = (gameId: number, userId: number) =>
    this.count("SELECT count(*) AS n FROM members WHERE game_id = ? AND user_id = ?", gameId, userId) > 0;
  tokenExists = (tokenId: number) => this.count("SELECT count(*) AS n FROM api_tokens WHERE id = ?", tokenId) > 0;
  inviteCode = (gameId: number): string | null =>
    codeRow.parse(this.db.prepare("SELECT invite_code AS code FROM games WHERE id = ?").get(gameId) ?? { code: null })
      .code;
  sessionEpoch = (userId: number): number =>
    epochRow.parse(this.db.prepare("SELECT session_epoch AS epoch FROM users WHERE id = ?").get(userId)).epoch;
  latestRound = (gameId: number): number | null =>
    roundRow.parse(this.db.prepare("SELECT id FROM rounds WHERE game_id = ? ORDER BY id DESC LIMIT 1").get(gameId))
      ?.id ?? null;

  close(): void {
    this.db.close();
  }
}

/**
 * Signs a world player in again. The fuzzer's own sign-in attempts with wrong passwords may have
 * spent that username's sign-in budget (10, then one per 6 s): then the server says how long to
 * wait (Retry-After), and the repair waits exactly that.
 */
async function signInAgain(url: string, username: string): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return (await signIn(url, username, PASSWORD)).cookie;
    } catch (error) {
      if (!(error instanceof SignInRefused) || error.retryAfterSeconds === undefined || attempt === 3) throw error;
      await pause(error.retryAfterSeconds * 1000);
    }
  }
}

/** Puts back whatever the last accepted input took away, through the API (never mid-input). */
export async function repair(server: TestServer, w: FuzzWorld, lookup: WorldLookup): Promise<void> {
  const { url } = server;
  for (const player of [w.owner, w.member, w.outsider]) {
    const epoch = lookup.sessionEpoch(player.id);
    if (epoch === w.epochs.get(player.id)) continue;
    // Signed out everywhere: the old cookie is dead, sign in again.
    player.cookie = await signInAgain(url, player.username);
    player.browser = browserCaller(url, player.cookie);
    w.epochs.set(player.id, epoch);
  }
  if (!lookup.gameExists(w.gameId)) w.gameId = await gameOf(server, w.owner, "Fuzzed again");
  if (!lookup.gameExists(w.foreignGameId)) w.foreignGameId = await gameOf(server, w.outsider, "Elsewhere again");
  if (!lookup.isMember(w.gameId, w.member.id)) {
    const invited = await call(url, w.owner.browser, "POST", `/api/games/${w.gameId}/members`, {
      json: { username: w.member.username },
    });
    memberView.parse(invited.body);
  }
  if (lookup.inviteCode(w.gameId) === null)
    await expectStatus(
      call(url, w.owner.browser, "POST", `/api/games/${w.gameId}/invite-link`),
      201,
      "a new invite link",
    );
  if (!lookup.tokenExists(w.tokens.owner.id)) w.tokens.owner = await tokenFor(server, w.owner);
  if (!lookup.tokenExists(w.tokens.member.id)) w.tokens.member = await tokenFor(server, w.member);
}
