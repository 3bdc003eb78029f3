// lib/games/history-pruning.ts on a real database: click-batch ids outlive the idempotency window
// and no longer, and each game keeps its newest activity entries while quiet games keep all.
import { describe, expect, it } from "vitest";
import { busHarnessForFile } from "../support/bus-harness";

const h = busHarnessForFile();

describe("pruneGameHistory", () => {
  it("forgets batch ids older than the idempotency window, and only those", async () => {
    const { eq, count } = await import("drizzle-orm");
    const { pruneGameHistory, IDEMPOTENCY_WINDOW_MS } = await import("@/lib/games/history-pruning");
    const { clickBatches } = h.lib.schema;
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const old = { gameId, count: 2, batchId: "old-batch-0001" };
    const recent = { gameId, count: 3, batchId: "recent-batch-0001" };
    await h.lib.clicks.addClicks(alice, old);
    await h.lib.clicks.addClicks(alice, recent);
    const database = h.lib.db.db();
    database.update(clickBatches).set({ createdAt: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS - 1000) }).where(eq(clickBatches.batchId, old.batchId)).run();

    expect(await pruneGameHistory(database)).toMatchObject({ batches: 1 });
    expect(database.select({ n: count() }).from(clickBatches).where(eq(clickBatches.gameId, gameId)).get()?.n).toBe(1);
    // A retry within the window still counts once; the total keeps every click.
    expect(await h.lib.clicks.addClicks(alice, recent)).toEqual({ total: 5, counted: false });
    expect(await pruneGameHistory(database)).toMatchObject({ batches: 0 });
  });

  it("keeps the newest activity entries of a busy game and all of a quiet one", async () => {
    const { eq, asc } = await import("drizzle-orm");
    const { pruneGameHistory, ACTIVITY_KEPT_PER_GAME } = await import("@/lib/games/history-pruning");
    const { activities } = h.lib.schema;
    const alice = await h.user("alice");
    const [busy, quiet] = [await h.gameWith(alice), await h.gameWith(alice)];
    const database = h.lib.db.db();
    const rows = (gameId: number, n: number) => Array.from({ length: n }, (_, index) => ({ gameId, kind: "renamed" as const, actor: alice.username, detail: `name ${index}` }));
    database.insert(activities).values(rows(busy, ACTIVITY_KEPT_PER_GAME + 50)).run();
    database.insert(activities).values(rows(quiet, 10)).run();
    const ids = (gameId: number) => database.select({ id: activities.id }).from(activities).where(eq(activities.gameId, gameId)).orderBy(asc(activities.id)).all().map((row) => row.id);
    const [busyBefore, quietBefore] = [ids(busy), ids(quiet)];

    expect((await pruneGameHistory(database)).activities).toBe(busyBefore.length - ACTIVITY_KEPT_PER_GAME);
    expect(ids(busy)).toEqual(busyBefore.slice(-ACTIVITY_KEPT_PER_GAME));
    expect(ids(quiet)).toEqual(quietBefore);
  });
});
