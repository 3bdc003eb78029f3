// lib/games/history-pruning.ts on a real database (either engine): click-batch ids outlive the
// idempotency window and no longer, and each game keeps its newest activity entries while quiet
// games keep all.
import { describe, expect, it } from "vitest";
import { busHarnessForFile } from "../support/bus-harness";

const h = busHarnessForFile();

// Loaded after the harness has set the environment: @/db/tables picks the engine's tables at import.
const lib = async () => ({
  drizzle: await import("drizzle-orm"),
  tables: await import("@/db/tables"),
  pruning: await import("@/lib/games/history-pruning"),
});

describe("pruneGameHistory", () => {
  it("forgets batch ids older than the idempotency window, and only those", async () => {
    const { drizzle, tables, pruning } = await lib();
    const { eq, count } = drizzle;
    const { clickBatches } = tables;
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const old = { gameId, count: 2, batchId: "old-batch-0001" };
    const recent = { gameId, count: 3, batchId: "recent-batch-0001" };
    await h.lib.clicks.addClicks(alice, old);
    await h.lib.clicks.addClicks(alice, recent);
    // One millisecond past the window: the boundary is strict, and only this batch is past it.
    const now = Date.now();
    await h.lib.db.transaction((tx) =>
      tx
        .update(clickBatches)
        .set({ createdAt: new Date(now - pruning.IDEMPOTENCY_WINDOW_MS - 1) })
        .where(eq(clickBatches.batchId, old.batchId)),
    );

    expect(await pruning.pruneGameHistory(now)).toMatchObject({ batches: 1 });
    const [left] = await h.lib.db.db().select({ n: count() }).from(clickBatches).where(eq(clickBatches.gameId, gameId));
    expect(left?.n).toBe(1);
    // A retry within the window still counts once; the total keeps every click.
    expect(await h.lib.clicks.addClicks(alice, recent)).toMatchObject({ total: 5, counted: false });
    expect(await pruning.pruneGameHistory()).toMatchObject({ batches: 0 });
    // And the forgotten batch id counts again (the window is the whole guarantee).
    expect(await h.lib.clicks.addClicks(alice, old)).toMatchObject({ total: 7, counted: true });
  });

  it("keeps the newest activity entries of a busy game and all of a quiet one", async () => {
    const { drizzle, tables, pruning } = await lib();
    const { eq, asc } = drizzle;
    const { activities } = tables;
    const alice = await h.user("alice");
    const [busy, quiet] = [await h.gameWith(alice), await h.gameWith(alice)];
    const rows = (gameId: number, n: number) =>
      Array.from({ length: n }, (_, index) => ({
        gameId,
        kind: "renamed" as const,
        actor: alice.username,
        detail: `name ${index}`,
      }));
    await h.lib.db.transaction(async (tx) => {
      await tx.insert(activities).values(rows(busy, pruning.ACTIVITY_KEPT_PER_GAME + 50));
      await tx.insert(activities).values(rows(quiet, 10));
    });
    const ids = async (gameId: number) =>
      (
        await h.lib.db
          .db()
          .select({ id: activities.id })
          .from(activities)
          .where(eq(activities.gameId, gameId))
          .orderBy(asc(activities.id))
      ).map((row) => row.id);
    const [busyBefore, quietBefore] = [await ids(busy), await ids(quiet)];

    expect((await pruning.pruneGameHistory()).activities).toBe(busyBefore.length - pruning.ACTIVITY_KEPT_PER_GAME);
    expect(await ids(busy)).toEqual(busyBefore.slice(-pruning.ACTIVITY_KEPT_PER_GAME));
    expect(await ids(quiet)).toEqual(quietBefore);
  });

  // Every node runs the sweep; on PostgreSQL one at a time does the work, by an advisory lock.
  it.runIf(process.env.DATABASE_URL !== undefined)(
    "does nothing while another node holds the pruning lock, and prunes once it is free",
    async () => {
      const { drizzle, tables, pruning } = await lib();
      const { clickBatches } = tables;
      const alice = await h.user("alice");
      const gameId = await h.gameWith(alice);
      await h.lib.clicks.addClicks(alice, { gameId, count: 1, batchId: "locked-batch-0001" });
      const now = Date.now() + pruning.IDEMPOTENCY_WINDOW_MS + 1000;
      const pool = h.lib.db.engine().postgres;
      if (!pool) throw new Error("DATABASE_URL is set but the engine has no pool");
      const otherNode = await pool.connect();
      try {
        await otherNode.query("select pg_advisory_lock($1::int, $2::int)", [...pruning.HISTORY_LOCK]);
        expect(await pruning.pruneGameHistory(now)).toEqual({ batches: 0, activities: 0 });
        await otherNode.query("select pg_advisory_unlock($1::int, $2::int)", [...pruning.HISTORY_LOCK]);
      } finally {
        otherNode.release();
      }
      expect((await pruning.pruneGameHistory(now)).batches).toBeGreaterThanOrEqual(1);
      expect(await h.lib.db.db().select().from(clickBatches).where(drizzle.eq(clickBatches.gameId, gameId))).toEqual(
        [],
      );
    },
  );
});
