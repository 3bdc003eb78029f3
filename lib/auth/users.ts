// Accounts: creating users, checking credentials, and the session epoch that "sign out everywhere" bumps.
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { preparedOnce } from "@/db/prepared";
import { users } from "@/db/schema";
import { credentialsSchema, type Credentials } from "./credentials";
import { DECOY_HASH, hashPassword, verifyPassword } from "./password";

export type SessionUser = { id: number; username: string };

export type CreateUserResult = { ok: true; user: SessionUser } | { ok: false; error: "username_taken" };

export async function createUser(input: Credentials): Promise<CreateUserResult> {
  const { username, password } = credentialsSchema.parse(input);
  const passwordHash = await hashPassword(password);
  const inserted = db()
    .insert(users)
    .values({ username, passwordHash })
    .onConflictDoNothing({ target: users.username })
    .returning({ id: users.id, username: users.username })
    .get();
  return inserted ? { ok: true, user: inserted } : { ok: false, error: "username_taken" };
}

/** The user for these credentials, or null; takes the same time whether or not the user exists. */
export async function verifyCredentials(input: unknown): Promise<SessionUser | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const row = db().select().from(users).where(eq(users.username, parsed.data.username)).get();
  const valid = await verifyPassword(parsed.data.password, row?.passwordHash ?? DECOY_HASH);
  return row && valid ? { id: row.id, username: row.username } : null;
}

// Behind every signed-in request, action and socket handshake.
const sessionUserQuery = preparedOnce((connection) =>
  connection
    .select({ id: users.id, username: users.username, sessionEpoch: users.sessionEpoch })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare(),
);

/** The user if they still exist and `epoch` is their current session epoch. */
export function userWithEpoch(userId: number, epoch: number): SessionUser | null {
  const row = sessionUserQuery().get({ userId });
  return row && row.sessionEpoch === epoch ? { id: row.id, username: row.username } : null;
}

export function currentEpoch(userId: number): number | null {
  return db().select({ epoch: users.sessionEpoch }).from(users).where(eq(users.id, userId)).get()?.epoch ?? null;
}

export function findUserByUsername(username: string): SessionUser | null {
  const parsed = credentialsSchema.shape.username.safeParse(username);
  if (!parsed.success) return null;
  return db().select({ id: users.id, username: users.username }).from(users).where(eq(users.username, parsed.data)).get() ?? null;
}

