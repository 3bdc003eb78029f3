// Guest players: joining a game through its invite link with a nickname only. Creating the
// account and joining are one transaction, limited per game (its link) and per nickname, and
// capped per game; signing the guest in is the caller's (Auth.js) job.
import { and, count, eq } from "drizzle-orm";
import { randomInt } from "node:crypto";
import { lockUntilCommit, type LockKey } from "@/lib/sql/advisory-lock";
import { db, engine } from "@/db/client";
import { games, members, users } from "@/db/tables";
import { usernameSchema } from "@/lib/auth/credentials";
import { findUserByUsername, insertGuest, type SessionUser } from "@/lib/auth/users";
import { transact } from "@/lib/realtime/transact";
import { env } from "@/lib/config/env";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { KeyedRateLimit, type RateDecision } from "@/lib/runtime/keyed-rate-limit";
import { AppError, parseInput } from "@/lib/runtime/app-error";
import { addMember } from "./members";
import { inviteCodeSchema } from "./schemas";

/*
 * Why per game and not per address: a workshop room sits behind one venue address (a conference
 * Wi-Fi's NAT), so an address limit small enough to stop a script also locks the room out (at 60
 * then 1/s, 1,000 phones needed 16 minutes). What a join costs is per game: a write transaction,
 * and member_joined fanned out to every phone already in it. So each game's link has a token
 * bucket, GUEST_JOIN_BURST (300) at once then GUEST_JOINS_PER_SECOND (50): a room of 1,000 that
 * taps Join within the same few seconds is in after at most 14 s (300 + 50 × 14), a room arriving
 * over half a minute never waits, and a flood of one link costs the node at most 50 joins and 50
 * membership announcements per phone a second. GUESTS_PER_GAME (5,000) bounds the accounts one
 * link can create, and the owner closes the link by revoking or regenerating it.
 */

/**
 * Accounts one client address may create across every link: two full games at once (a venue
 * running two big rooms), then 5 a second. It only bounds someone holding many links (of games
 * they made themselves); no single room behind a NAT reaches it.
 */
const ADDRESS_BURST_FLOOR = 10_000;
const ADDRESS_JOINS_PER_SECOND = 5;
/** Tries of one nickname (taken or not): enough for typos, not for hammering one name. */
const NICKNAME_BURST = 10;
const NICKNAME_TRIES_PER_SECOND = 1 / 6;
/**
 * Serializes the guest joins of one game on PostgreSQL (key: "gues", the game id), so that two
 * joins committing at once cannot both see room for one more and overshoot the cap. SQLite's
 * single writer serializes them already. The first key differs from every "clic" lock.
 */
const GUEST_CAP_LOCK = 0x67756573;

function createLimits() {
  const config = env();
  return {
    byGame: new KeyedRateLimit<number>("guest-joins-by-game", config.GUEST_JOIN_BURST, config.GUEST_JOINS_PER_SECOND),
    byAddress: new KeyedRateLimit<string>(
      "guest-joins-by-address",
      Math.max(ADDRESS_BURST_FLOOR, 2 * config.GUESTS_PER_GAME),
      ADDRESS_JOINS_PER_SECOND,
    ),
    byNickname: new KeyedRateLimit<string>("guest-joins-by-nickname", NICKNAME_BURST, NICKNAME_TRIES_PER_SECOND),
  };
}

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "guest-join-limits": ReturnType<typeof createLimits>;
  }
}

const limits = () => processSingleton("guest-join-limits", createLimits);

export type GuestJoin = { user: SessionUser; gameId: number };

const invalidLink = () => new AppError("not_found", "This invite link is not valid any more.");

function refuseIfLimited(decision: RateDecision, message: string): void {
  if (!decision.ok)
    throw new AppError("rate_limited", `${message} Try again in ${decision.retryAfterSeconds} s.`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
}

/**
 * A full game is `forbidden`, not `conflict`: a taken nickname is a conflict the guest fixes by
 * choosing another one, while no nickname gets into a full game (and a script must not retry).
 */
const gameFull = (cap: number) =>
  new AppError(
    "forbidden",
    `This game is full: it has room for ${cap.toLocaleString("en-US")} guests. Ask the host for another game.`,
  );

async function gameOfCode(code: string): Promise<number | null> {
  const [game] = await db().select({ id: games.id }).from(games).where(eq(games.inviteCode, code)).limit(1);
  return game?.id ?? null;
}

/**
 * Creates a guest called `nickname` and makes them a player of the game behind `code`.
 * Throws `not_found` for a bad or closed link, `invalid` for a nickname outside the username
 * grammar, `rate_limited` (with retryAfterSeconds) when the game's link, the nickname or the
 * address is over its limit, `forbidden` when the game has GUESTS_PER_GAME guests, and
 * `conflict` for a taken nickname.
 */
export async function joinAsGuest(
  input: { code: unknown; nickname: unknown },
  clientAddress: string,
): Promise<GuestJoin> {
  const code = inviteCodeSchema.safeParse(input.code);
  if (!code.success) throw invalidLink();
  const nickname = parseInput(usernameSchema, input.nickname);
  // One indexed read, like any page's: refusals below cost no write, and only real games get a
  // bucket, so made-up codes cannot crowd real links out of the limiter's table.
  const gameId = await gameOfCode(code.data);
  if (gameId === null) throw invalidLink();
  refuseIfLimited(await limits().byGame.take(gameId), "Many players are joining this game right now.");
  refuseIfLimited(await limits().byNickname.take(nickname), "That nickname was tried many times just now.");
  refuseIfLimited(await limits().byAddress.take(clientAddress), "Very many players joined from your network just now.");
  const cap = env().GUESTS_PER_GAME;
  return transact(async (scope) => {
    // Again inside the transaction: the owner may have closed or regenerated the link meanwhile.
    const [game] = await scope.tx.select({ id: games.id }).from(games).where(eq(games.inviteCode, code.data)).limit(1);
    if (!game) throw invalidLink();
    await lockUntilCommit(scope.tx, [GUEST_CAP_LOCK, game.id] satisfies LockKey, engine().dialect);
    const [guests] = await scope.tx
      .select({ value: count() })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(and(eq(members.gameId, game.id), eq(users.guest, true)));
    if ((guests?.value ?? 0) >= cap) throw gameFull(cap);
    const user = await insertGuest(scope.tx, nickname);
    if (!user) throw new AppError("conflict", "That nickname is taken. Try another one.");
    await addMember(scope, game.id, user);
    return { user, gameId: game.id };
  });
}

/**
 * A free nickname to prefill the form with, so that joining is one tap (the guest may change it).
 * Drawn from 900,000 so that a room of 1,000 loading the page at once rarely gets one twice
 * (about one clash in two such rooms; drawn from 9,000 it was some fifty "taken" errors a room).
 */
export async function suggestNickname(): Promise<string> {
  let nickname = "";
  for (let tries = 0; tries < 5; tries += 1) {
    nickname = `player-${randomInt(100_000, 1_000_000)}`;
    if (!(await findUserByUsername(nickname))) break;
  }
  return nickname;
}
