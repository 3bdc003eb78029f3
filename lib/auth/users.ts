// Accounts: creating users (guests too), checking credentials, a guest's first password, when a
// user was last seen, and the session epoch that "sign out everywhere" bumps.
import { and, eq, sql } from "drizzle-orm";
import { db, transaction, type Tx } from "@/db/client";
import { preparedOnce } from "@/lib/sql/prepared";
import { users } from "@/db/tables";
import { credentialsSchema, passwordSchema, type Credentials } from "./credentials";
import { log } from "@/lib/log";
import { decoyHash, hashPassword, needsRehash, verifyPassword } from "./password";

export type SessionUser = { id: number; username: string };

export type CreateUserResult = { ok: true; user: SessionUser } | { ok: false; error: "username_taken" };

/** A guest has no password: this empty hash matches none (verifyCredentials refuses it outright). */
const NO_PASSWORD = "";
/** lastSeenAt is written at most this often per user, so busy sessions cost no extra writes. */
const SEEN_RESOLUTION_MS = 60 * 60 * 1000;

/** Thrown inside the insert's transaction so that it rolls back (see createUser). */
class UsernameTaken extends Error {}

type NewUser = { username: string; passwordHash: string; guest?: boolean; lastSeenAt?: Date };

/**
 * Inserts the user inside `tx`, or null when the name is taken. A refused sign-up must not use up
 * an id (docs/api.md: every refused request changes nothing), and both engines would: SQLite
 * advances the AUTOINCREMENT sequence even for an insert that ON CONFLICT DO NOTHING drops, and
 * PostgreSQL never gives back an identity value. So a taken name is looked up first; the unique
 * constraint still decides between two sign-ups racing for one name (on PostgreSQL the loser
 * then spends an id, the one case the lookup cannot prevent).
 */
async function insertUser(tx: Tx, values: NewUser): Promise<SessionUser | null> {
  const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, values.username)).limit(1);
  if (taken) return null;
  const [inserted] = await tx
    .insert(users)
    .values(values)
    .onConflictDoNothing({ target: users.username })
    .returning({ id: users.id, username: users.username });
  return inserted ?? null;
}

export async function createUser(input: Credentials): Promise<CreateUserResult> {
  const { username, password } = credentialsSchema.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    // Rolled back on a taken name, so SQLite's sequence is left as it was (see insertUser).
    const user = await transaction(async (tx) => {
      const inserted = await insertUser(tx, { username, passwordHash });
      if (!inserted) throw new UsernameTaken();
      return inserted;
    });
    return { ok: true, user };
  } catch (error) {
    if (error instanceof UsernameTaken) return { ok: false, error: "username_taken" };
    throw error;
  }
}

/**
 * Inserts a guest account (no password) inside `tx`; null when the name is taken. `username` must
 * be parsed already. The caller's transaction throws on null, so nothing of it is kept.
 */
export function insertGuest(tx: Tx, username: string): Promise<SessionUser | null> {
  return insertUser(tx, { username, passwordHash: NO_PASSWORD, guest: true, lastSeenAt: new Date() });
}

/** Gives a guest a password, which makes the account a normal one; false when the user is no guest. */
export async function setGuestPassword(userId: number, password: unknown): Promise<boolean> {
  const passwordHash = await hashPassword(passwordSchema.parse(password));
  const changed = await transaction((tx) =>
    tx
      .update(users)
      .set({ passwordHash, guest: false })
      .where(and(eq(users.id, userId), eq(users.guest, true)))
      .returning({ id: users.id }),
  );
  return changed.length > 0;
}

export async function isGuest(userId: number): Promise<boolean> {
  const [row] = await db().select({ guest: users.guest }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.guest ?? false;
}

/** The user for these credentials, or null; takes the same time whether or not the user exists. */
export async function verifyCredentials(input: unknown): Promise<SessionUser | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const [row] = await db().select().from(users).where(eq(users.username, parsed.data.username)).limit(1);
  const decoy = decoyHash();
  const hash = row && row.passwordHash !== NO_PASSWORD ? row.passwordHash : decoy;
  const valid = await verifyPassword(parsed.data.password, hash);
  if (!row || hash === decoy || !valid) return null;
  if (needsRehash(hash)) await upgradeHash(row.id, hash, parsed.data.password);
  return { id: row.id, username: row.username };
}

/**
 * Replaces an outdated hash (bcrypt, or scrypt with older parameters) once a sign-in has proved
 * the password, unless the hash changed since it was read. The sign-in goes on either way: a full
 * hash queue or a failed write leaves the old hash for the next sign-in.
 */
async function upgradeHash(userId: number, oldHash: string, password: string): Promise<void> {
  try {
    const passwordHash = await hashPassword(password);
    await transaction((tx) =>
      tx
        .update(users)
        .set({ passwordHash })
        .where(and(eq(users.id, userId), eq(users.passwordHash, oldHash))),
    );
  } catch (error) {
    log.warn({ err: error, userId }, "password hash not upgraded; kept until the next sign-in");
  }
}

// Behind every signed-in request, action and socket handshake: prepared once (PostgreSQL names it).
const sessionUserQuery = preparedOnce(db, (connection) =>
  connection
    .select({ id: users.id, username: users.username, sessionEpoch: users.sessionEpoch, lastSeenAt: users.lastSeenAt })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId")))
    .limit(1)
    .prepare("auth_session_user"),
);

/** The user if they still exist and `epoch` is their current session epoch; notes that they were seen. */
export async function userWithEpoch(userId: number, epoch: number): Promise<SessionUser | null> {
  const [row] = await sessionUserQuery().execute({ userId });
  if (!row || row.sessionEpoch !== epoch) return null;
  const now = new Date();
  if (!row.lastSeenAt || now.getTime() - row.lastSeenAt.getTime() > SEEN_RESOLUTION_MS) {
    // At most hourly per user, so not worth a prepared statement (one per transaction there).
    await transaction((tx) => tx.update(users).set({ lastSeenAt: now }).where(eq(users.id, userId)));
  }
  return { id: row.id, username: row.username };
}

export async function currentEpoch(userId: number): Promise<number | null> {
  const [row] = await db().select({ epoch: users.sessionEpoch }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.epoch ?? null;
}

export async function findUserByUsername(username: string): Promise<SessionUser | null> {
  const parsed = credentialsSchema.shape.username.safeParse(username);
  if (!parsed.success) return null;
  const [row] = await db()
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(eq(users.username, parsed.data))
    .limit(1);
  return row ?? null;
}
