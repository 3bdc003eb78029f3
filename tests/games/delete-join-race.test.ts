// deleteGame racing a join on PostgreSQL, where the two transactions run side by side: a player
// whose join is in flight when the owner deletes the game must be among the readers the deletion
// cuts (told `game_removed`, their sockets made to leave), never a member deleted unseen. The
// join is held open on purpose and released only once the deletion waits on its lock. Only the
// postgres run has this file (vitest.config.ts): SQLite runs one write transaction at a time.
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { busHarnessForFile, until, within } from "../support/bus-harness";

const h = busHarnessForFile();

/** Whether another backend of this database waits on a row or table lock. */
async function someoneWaitsOnALock(): Promise<boolean> {
  const pool = h.lib.db.engine().postgres;
  if (!pool) throw new Error("this file runs on PostgreSQL only (vitest.postgres.config.ts)");
  const { rows } = await pool.query<{ waiting: string }>(
    "select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
  );
  return Number(rows[0]?.waiting) > 0;
}

it("cuts a player whose join was in flight when the game was deleted", async () => {
  const { transact } = h.lib.transact;
  const { addMember } = h.lib.members;
  const [owner, joiner] = [await h.user("owner"), await h.user("joiner")];
  const gameId = await h.gameWith(owner);
  const before = await h.lib.store.latestNotificationId();

  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let joined: () => void = () => undefined;
  const inserted = new Promise<void>((resolve) => (joined = resolve));
  const join = transact(async (scope) => {
    await addMember(scope, gameId, joiner);
    joined();
    await held;
  });
  await within(inserted, "the join inserted its member row and holds its transaction open");

  const deletion = h.lib.games.deleteGame(owner, gameId);
  await until(someoneWaitsOnALock, "the deletion waits on the join's lock");
  release();
  await within(join, "the join commits");
  await within(deletion, "the deletion commits");

  const { notifications } = await h.lib.replayRead.readReplay([`user:${joiner.id}`], before);
  expect(notifications.map((n) => [n.event, n.payload])).toEqual([
    ["game_added", expect.objectContaining({ gameId })],
    ["game_removed", { gameId, reason: "deleted" }],
  ]);
});

it("refuses a join that comes after the deletion took the game's lock", async () => {
  const { AppError } = await import("@/lib/runtime/app-error");
  const [owner, joiner] = [await h.user("owner"), await h.user("joiner")];
  const gameId = await h.gameWith(owner);
  const { regenerateInviteLink } = await import("@/lib/games/invite-link");
  const code = await regenerateInviteLink(owner, gameId);

  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked: () => void = () => undefined;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  // The deletion's own statements, held open after its lock: what deleteGame does first.
  const deletion = h.lib.db.transaction(async (tx) => {
    await tx.execute(sql`select id from games where id = ${gameId} for update`);
    locked();
    await held;
    await tx.execute(sql`delete from games where id = ${gameId}`);
  });
  await within(lockTaken, "the deletion holds the game's row lock");

  // Its outcome is taken at once: the join may be refused while the test still awaits the
  // deletion, and a rejection with no handler yet is an unhandled one (it failed the run once).
  const join = h.lib.members.joinByInviteCode(joiner, code).then(
    () => null,
    (error: unknown) => error,
  );
  await until(someoneWaitsOnALock, "the join waits on the deletion's lock");
  release();
  await within(deletion, "the deletion commits");
  const refused = await join;
  expect(refused).toBeInstanceOf(AppError);
  expect(refused).toMatchObject({ code: "not_found" });
});
