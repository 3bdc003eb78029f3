// Personal API tokens for the HTTP API and scripts: random, shown once, stored as SHA-256.
import { randomBytes, createHash } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { preparedOnce } from "@/db/prepared";
import { apiTokens, users } from "@/db/tables";
import { parseInput } from "@/lib/runtime/app-error";
import { spendMutation } from "@/lib/games/mutation-rate";
import { disconnectCredential } from "@/lib/bus/revoke";
import { log } from "@/lib/log";
import type { SessionUser } from "./users";

const TOKEN_PREFIX = "cbt_";
export const tokenNameSchema = z.string().trim().min(1, "Give the token a name.").max(64, "At most 64 characters.");

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type ApiTokenSummary = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null };

/** Creates a token and returns its only readable copy. */
export async function createApiToken(userId: number, name: unknown): Promise<{ token: string; summary: ApiTokenSummary }> {
  const tokenName = parseInput(tokenNameSchema, name);
  spendMutation(userId);
  const token = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  const row = db()
    .insert(apiTokens)
    .values({ userId, name: tokenName, tokenHash: hashToken(token) })
    .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .get();
  return { token, summary: row };
}

export async function listApiTokens(userId: number): Promise<ApiTokenSummary[]> {
  return db()
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id))
    .all();
}

/** Deletes the token, and disconnects at once, on every node, the sockets it authenticated. */
export async function revokeApiToken(userId: number, tokenId: number): Promise<boolean> {
  const revoked = db().delete(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId))).run().changes > 0;
  if (revoked) disconnectCredential(userId, { kind: "token", tokenId }).catch((error: unknown) => log.warn({ err: error, tokenId }, "disconnecting a revoked token's sockets failed"));
  return revoked;
}

// Every API call looks its token up: prepared once.
const tokenOwner = preparedOnce((connection) =>
  connection
    .select({ id: users.id, username: users.username, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, sql.placeholder("hash")))
    .prepare(),
);

/** The owner of a presented token, or null. */
export async function userForApiToken(token: string): Promise<SessionUser | null> {
  return apiTokenSession(token)?.user ?? null;
}

/**
 * The owner of a presented token and the token's id (sockets remember it to be cut on revocation).
 * Still synchronous: the socket handshake (lib/bus/handshake.ts) calls it without awaiting, and
 * lib/bus goes async in its own step of issue #14.
 */
export function apiTokenSession(token: string): { user: SessionUser; tokenId: number } | null {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) return null;
  const row = tokenOwner().get({ hash: hashToken(token) });
  if (!row) return null;
  // At most one write a minute per token, so a busy script's clicks stay one write each.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    db().update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId)).run();
  }
  return { user: { id: row.id, username: row.username }, tokenId: row.tokenId };
}
