// Accounts: creating users (guests too), checking credentials, a guest's first password, when a
// user was last seen, and the session epoch that "sign out everywhere" bumps.
import { and, eq, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { preparedOnce } from "@/db/prepared";
import { users } from "@/db/tables";
import { credentialsSchema, passwordSchema, type Credentials } from "./credentials";
import { DECOY_HASH, hashPassword, verifyPassword } from "./password";

export type SessionUser = { id: number; username: string };

export type CreateUserResult = { ok: true; user: SessionUser } | { ok: false; error: "username_taken" };

/** A guest has no password: this empty hash matches none (verifyCredentials refuses it outright). */
const NO_PASSWORD = "";
/** lastSeenAt is written at most this often per user, so busy sessions cost no extra writes. */
const SEEN_RESOLUTION_MS = 60 * 60 * 1000;

/** Thrown inside the insert's transaction so that it rolls back (see createUser). */
class UsernameTaken extends Error {}

export async function createUser(input: Credentials): Promise<CreateUserResult> {
  const { username, password } = credentialsSchema.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    // In a transaction that rolls back on a taken name: SQLite advances the AUTOINCREMENT
    // sequence even for an insert that ON CONFLICT DO NOTHING drops, and a refused sign-up must
    // not use up an id (docs/api.md: every refused request changes nothing).
    const user = db().transaction(
      (tx) => {
        const inserted = tx.insert(users).values({ username, passwordHash }).onConflictDoNothing({ target: users.username }).returning({ id: users.id, username: users.username }).get();
        if (!inserted) throw new UsernameTaken();
        return inserted;
      },
      { behavior: "immediate" },
    );
    return { ok: true, user };
  } catch (error) {
    if (error instanceof UsernameTaken) return { ok: false, error: "username_taken" };
    throw error;
  }
}

/** Inserts a guest account (no password) inside `tx`; null when the name is taken. `username` must be parsed already. */
export function insertGuest(tx: Tx, username: string): SessionUser | null {
  return (
    tx
      .insert(users)
      .values({ username, passwordHash: NO_PASSWORD, guest: true, lastSeenAt: new Date() })
      .onConflictDoNothing({ target: users.username })
      .returning({ id: users.id, username: users.username })
      .get() ?? null
  );
}

/** Gives a guest a password, which makes the account a normal one; false when the user is no guest. */
export async function setGuestPassword(userId: number, password: unknown): Promise<boolean> {
  const passwordHash = await hashPassword(passwordSchema.parse(password));
  const changed = db().update(users).set({ passwordHash, guest: false }).where(and(eq(users.id, userId), eq(users.guest, true))).run();
  return changed.changes > 0;
}

export async function isGuest(userId: number): Promise<boolean> {
  return db().select({ guest: users.guest }).from(users).where(eq(users.id, userId)).get()?.guest ?? false;
}

/** The user for these credentials, or null; takes the same time whether or not the user exists. */
export async function verifyCredentials(input: unknown): Promise<SessionUser | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const row = db().select().from(users).where(eq(users.username, parsed.data.username)).get();
  const hash = row && row.passwordHash !== NO_PASSWORD ? row.passwordHash : DECOY_HASH;
  const valid = await verifyPassword(parsed.data.password, hash);
  return row && hash !== DECOY_HASH && valid ? { id: row.id, username: row.username } : null;
}

// Behind every signed-in request, action and socket handshake.
const sessionUserQuery = preparedOnce((connection) =>
  connection
    .select({ id: users.id, username: users.username, sessionEpoch: users.sessionEpoch, lastSeenAt: users.lastSeenAt })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare(),
);
const touchQuery = preparedOnce((connection) =>
  connection
    .update(users)
    .set({ lastSeenAt: sql`${sql.placeholder("now")}` })
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare(),
);

/** The user if they still exist and `epoch` is their current session epoch; notes that they were seen. */
export async function userWithEpoch(userId: number, epoch: number): Promise<SessionUser | null> {
  const row = sessionUserQuery().get({ userId });
  if (!row || row.sessionEpoch !== epoch) return null;
  const now = Date.now();
  if (!row.lastSeenAt || now - row.lastSeenAt.getTime() > SEEN_RESOLUTION_MS) touchQuery().run({ userId, now });
  return { id: row.id, username: row.username };
}

export async function currentEpoch(userId: number): Promise<number | null> {
  return db().select({ epoch: users.sessionEpoch }).from(users).where(eq(users.id, userId)).get()?.epoch ?? null;
}

export async function findUserByUsername(username: string): Promise<SessionUser | null> {
  const parsed = credentialsSchema.shape.username.safeParse(username);
  if (!parsed.success) return null;
  return db().select({ id: users.id, username: users.username }).from(users).where(eq(users.username, parsed.data)).get() ?? null;
}
