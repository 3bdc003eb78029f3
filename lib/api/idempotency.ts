// Idempotency keys, after the IETF draft "The Idempotency-Key HTTP Header Field": the first answer
// to a caller's key is kept for a day; the same key with the same request gets that answer back
// (and nothing is done again), with another request 422, and while the first still runs 409.
// The API's POSTs take the key as a header (lib/api/route.ts); the app's forms send one per
// submission to their server actions (app/actions/run-action.ts).
import { createHash } from "node:crypto";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { db, transaction } from "@/db/client";
import { idempotentRequests } from "@/db/tables";
import { log } from "@/lib/log";
import { AppError } from "@/lib/runtime/app-error";
import { noteIfDatabaseUnavailable } from "@/lib/runtime/database-outage";
import { startPeriodic } from "@/lib/runtime/periodic";

/** How long an answer is kept; a retry comes within seconds, a day covers a client offline overnight. */
export const KEEP_ANSWERS_MS = 24 * 60 * 60 * 1000;
/**
 * A first request that has not answered in this long died with its node: its key is free again.
 * Far beyond any request's life (the database's statement timeouts end them sooner).
 */
const ABANDONED_MS = 60_000;

/** What the draft allows a key to be, bounded: 1 to 255 visible ASCII characters. */
export const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/);

export type KeptAnswer = { status: number; body: string };

/** Answers that say nothing was done and a retry may succeed: their key is released, not kept. */
const releases = (status: number): boolean => status === 408 || status === 409 || status === 429 || status >= 500;

/** SHA-256 over the parts of a request that must match for a retry to be "the same request". */
export function fingerprintOf(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest("hex");
}

const ofKey = (userId: number, key: string) =>
  and(eq(idempotentRequests.userId, userId), eq(idempotentRequests.key, key));

/** Takes the key for a first request: true, or false when a live entry holds it already. */
function claim(userId: number, key: string, fingerprint: string): Promise<boolean> {
  const now = Date.now();
  // Writes go through a transaction: on SQLite, db() outside one is the read-only connection.
  return transaction(async (tx) => {
    await tx
      .delete(idempotentRequests)
      .where(
        and(
          ofKey(userId, key),
          or(
            lt(idempotentRequests.createdAt, new Date(now - KEEP_ANSWERS_MS)),
            and(isNull(idempotentRequests.status), lt(idempotentRequests.createdAt, new Date(now - ABANDONED_MS))),
          ),
        ),
      );
    const taken = await tx
      .insert(idempotentRequests)
      .values({ userId, key, fingerprint, createdAt: new Date(now) })
      .onConflictDoNothing()
      .returning({ key: idempotentRequests.key });
    return taken.length > 0;
  });
}

async function release(userId: number, key: string): Promise<void> {
  await transaction(async (tx) => {
    await tx.delete(idempotentRequests).where(ofKey(userId, key));
  });
}

async function keep(userId: number, key: string, answer: KeptAnswer): Promise<void> {
  await transaction(async (tx) => {
    await tx.update(idempotentRequests).set({ status: answer.status, body: answer.body }).where(ofKey(userId, key));
  });
}

const stillAnswering = () =>
  new AppError("conflict", "A request with this Idempotency-Key is still being answered. Try again shortly.");

/** The kept answer for a key another request claimed, or the refusal the draft prescribes. */
async function keptAnswer(userId: number, key: string, fingerprint: string): Promise<KeptAnswer | null> {
  const [kept] = await db().select().from(idempotentRequests).where(ofKey(userId, key)).limit(1);
  // Released between our claim and this read: the caller claims again.
  if (!kept) return null;
  if (kept.fingerprint !== fingerprint)
    throw new AppError("idempotency_key_reused", "This Idempotency-Key was used for another request.");
  if (kept.status === null || kept.body === null) throw stillAnswering();
  return { status: kept.status, body: kept.body };
}

/**
 * Keeps the first request's answer, or releases its key (`null`: it threw). Whatever the database
 * does here, the caller still gets that answer: the work is done (or refused) already, and a 500
 * in its place would have the caller retry work that succeeded. A key the database would not
 * settle stays in flight until ABANDONED_MS after its claim: a retry meanwhile gets 409, a later
 * one runs the work again (what a caller that never got the answer needs anyway).
 */
async function settle(userId: number, key: string, first: KeptAnswer | null): Promise<void> {
  try {
    if (first === null || releases(first.status)) await release(userId, key);
    else await keep(userId, key, first);
  } catch (error) {
    // An outage is logged once for the node, not once per request.
    if (!noteIfDatabaseUnavailable(error))
      log.error(
        { err: error, status: first?.status ?? null },
        "could not keep or release an Idempotency-Key; it stays in flight until a minute after its claim",
      );
  }
}

/**
 * Runs `answer` once per (user, key): a first request runs it and keeps what it answered; a
 * repeat with the same fingerprint gets that back (`replayed`). An answer that says nothing was
 * done (429, 5xx, a thrown error) releases the key, so the retry runs again; so does an answer the
 * database would not keep, once its key is abandoned (see settle).
 */
export async function answerOnce(
  userId: number,
  key: string,
  fingerprint: string,
  answer: () => Promise<KeptAnswer>,
): Promise<KeptAnswer & { replayed: boolean }> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    if (!(await claim(userId, key, fingerprint))) {
      const kept = await keptAnswer(userId, key, fingerprint);
      if (kept) return { ...kept, replayed: true };
      continue;
    }
    let first: KeptAnswer;
    try {
      first = await answer();
    } catch (error) {
      await settle(userId, key, null);
      throw error;
    }
    await settle(userId, key, first);
    return { ...first, replayed: false };
  }
  throw stillAnswering();
}

/** Drops the answers older than a day, now and every ten minutes; returns a function that stops it. */
export function startIdempotencyPruning(): () => void {
  return startPeriodic({
    everyMs: 10 * 60 * 1000,
    runNow: true,
    failure: "pruning idempotency keys failed",
    run: () =>
      transaction((tx) =>
        tx.delete(idempotentRequests).where(lt(idempotentRequests.createdAt, new Date(Date.now() - KEEP_ANSWERS_MS))),
      ),
  });
}
