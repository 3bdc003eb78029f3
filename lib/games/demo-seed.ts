// The demo data of `npm run demo` (never `npm start`): alice, bob and carol, and alice's game
// "Workshop" with bob as a player. Safe to run again: it creates only what is missing.
import { eq } from "drizzle-orm";
import { db, transaction } from "@/db/client";
import { games, members } from "@/db/tables";
import { createUser, findUserByUsername, type SessionUser } from "@/lib/auth/users";
import { createGame } from "./games";

export const DEMO_PASSWORD = "clickbus-demo";
export const DEMO_USERS = ["alice", "bob", "carol"] as const;
export const DEMO_GAME = "Workshop";

async function ensureUser(username: string): Promise<SessionUser> {
  const existing = await findUserByUsername(username);
  if (existing) return existing;
  const created = await createUser({ username, password: DEMO_PASSWORD });
  if (!created.ok) throw new Error(`could not create demo user ${username}`);
  return created.user;
}

export async function seedDemo(): Promise<void> {
  const [alice, bob] = await Promise.all(DEMO_USERS.map(ensureUser));
  if (!alice || !bob) return;
  const existing = await db().select({ id: games.id }).from(games).where(eq(games.ownerId, alice.id)).limit(1);
  const workshop = existing.length > 0 ? null : await createGame(alice, { name: DEMO_GAME });
  if (workshop)
    await transaction((tx) => tx.insert(members).values({ gameId: workshop.id, userId: bob.id, role: "player" }));
}
