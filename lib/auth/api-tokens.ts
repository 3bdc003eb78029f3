// Personal API tokens for the HTTP API and scripts: random, shown once, stored as SHA-256.
import { randomBytes, createHash } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { db, transaction } from "@/db/client";
import { preparedOnce } from "@/lib/sql/prepared";
import { apiTokens, users } from "@/db/tables";
import { parseInput } from "@/lib/runtime/app-error";
import { spendMutation } from "@/lib/runtime/mutation-rate";
import type { SessionUser } from "./users";

const TOKEN_PREFIX = "cbt_";
export const tokenNameSchema = z.string().trim().min(1, "Give the token a name.").max(64, "At most 64 characters.");

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export type ApiTokenSummary = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null };

/** Creates a token and returns its only readable copy. */
export async function createApiToken(
  userId: number,
  name: unknown,
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const tokenName = parseInput(tokenNameSchema, name);
  await spendMutation(userId);
  const token = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  const [row] = await transaction((tx) =>
    tx
      .insert(apiTokens)
      .values({ userId, name: tokenName, tokenHash: hashToken(token) })
      .returning({
        id: apiTokens.id,
        name: apiTokens.name,
        createdAt: apiTokens.createdAt,
        lastUsedAt: apiTokens.lastUsedAt,
      }),
  );
  if (!row) throw new Error("inserting an API token returned no row");
  return { token, summary: row };
}

export async function listApiTokens(userId: number): Promise<ApiTokenSummary[]> {
  return db()
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.id));
}

/**
 * Deletes the token; whether there was one. Its live sockets are cut by the caller that wires
 * auth to the bus (lib/realtime/revoke-api-token.ts).
 */
export async function deleteApiToken(userId: number, tokenId: number): Promise<boolean> {
  const deleted = await transaction((tx) =>
    tx
      .delete(apiTokens)
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId)))
      .returning({ id: apiTokens.id }),
  );
  return deleted.length > 0;
}

// Every API call looks its token up: prepared once (PostgreSQL names it).
const tokenOwner = preparedOnce(db, (connection) =>
  connection
    .select({ id: users.id, username: users.username, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, sql.placeholder("hash")))
    .limit(1)
    .prepare("auth_token_owner"),
);

/** The owner of a presented token, or null. */
export async function userForApiToken(token: string): Promise<SessionUser | null> {
  return (await apiTokenSession(token))?.user ?? null;
}

/** The owner of a presented token and the token's id (sockets remember it to be cut on revocation). */
export async function apiTokenSession(token: string): Promise<{ user: SessionUser; tokenId: number } | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) return null;
  const [row] = await tokenOwner().execute({ hash: hashToken(token) });
  if (!row) return null;
  // At most one write a minute per token, so a busy script's clicks stay one write each.
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await transaction((tx) => tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId)));
  }
  return { user: { id: row.id, username: row.username }, tokenId: row.tokenId };
}
