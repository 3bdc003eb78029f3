// Guest players: joining a game through its invite link with a nickname only. Creating the
// account and joining are one transaction; it is rate-limited per client address and per
// nickname, and needs a valid invite code. Signing the guest in is the caller's (Auth.js) job.
import { eq } from "drizzle-orm";
import { randomInt } from "node:crypto";
import { games } from "@/db/tables";
import { usernameSchema } from "@/lib/auth/credentials";
import { findUserByUsername, insertGuest, type SessionUser } from "@/lib/auth/users";
import { transact } from "@/lib/bus/transact";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { KeyedRateLimit, type RateDecision } from "@/lib/runtime/keyed-rate-limit";
import { AppError, parseInput } from "@/lib/runtime/app-error";
import { addMember } from "./members";
import { inviteCodeSchema } from "./schemas";

/**
 * A whole room joins from one address behind the venue's NAT: 60 at once, then one a second,
 * lets a crowd of fifty in without a wait while a script making accounts is held to 3 600 an hour.
 */
export const GUEST_JOIN_BURST = 60;
export const GUEST_JOINS_PER_SECOND = 1;
/** Tries of one nickname (taken or not): enough for typos, not for hammering one name. */
const NICKNAME_BURST = 10;
const NICKNAME_TRIES_PER_SECOND = 1 / 6;

const limits = () =>
  processSingleton("guest-join-limits", () => ({
    byAddress: new KeyedRateLimit<string>(GUEST_JOIN_BURST, GUEST_JOINS_PER_SECOND),
    byNickname: new KeyedRateLimit<string>(NICKNAME_BURST, NICKNAME_TRIES_PER_SECOND),
  }));

export type GuestJoin = { user: SessionUser; gameId: number };

const invalidLink = () => new AppError("not_found", "This invite link is not valid any more.");

function refuseIfLimited(decision: RateDecision, message: string): void {
  if (!decision.ok) throw new AppError("rate_limited", `${message} Try again in ${decision.retryAfterSeconds} s.`, { retryAfterSeconds: decision.retryAfterSeconds });
}

/**
 * Creates a guest called `nickname` and makes them a player of the game behind `code`.
 * Throws `rate_limited` (with retryAfterSeconds), `not_found` for a bad code, `invalid` for a
 * nickname outside the username grammar and `conflict` for a taken one.
 */
export async function joinAsGuest(input: { code: unknown; nickname: unknown }, clientAddress: string): Promise<GuestJoin> {
  refuseIfLimited(limits().byAddress.take(clientAddress), "Many players joined from your network just now.");
  const code = inviteCodeSchema.safeParse(input.code);
  if (!code.success) throw invalidLink();
  const nickname = parseInput(usernameSchema, input.nickname);
  refuseIfLimited(limits().byNickname.take(nickname), "That nickname was tried many times just now.");
  return transact(async (scope) => {
    const [game] = await scope.tx.select({ id: games.id }).from(games).where(eq(games.inviteCode, code.data)).limit(1);
    if (!game) throw invalidLink();
    const user = await insertGuest(scope.tx, nickname);
    if (!user) throw new AppError("conflict", "That nickname is taken. Try another one.");
    await addMember(scope, game.id, user);
    return { user, gameId: game.id };
  });
}

/** A free nickname to prefill the form with, so that joining is one tap (the guest may change it). */
export async function suggestNickname(): Promise<string> {
  let nickname = "";
  for (let tries = 0; tries < 5; tries += 1) {
    nickname = `player-${randomInt(1000, 10_000)}`;
    if (!(await findUserByUsername(nickname))) break;
  }
  return nickname;
}
