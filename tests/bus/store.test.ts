// Unit tests of lib/bus/store.ts and replay-read.ts on a real SQLite file: storing inside a transaction, replay
// order and filtering, paging by rows and bytes, and when a cursor gets `reset` (behind pruning,
// ahead of the db, too far).
import { gt, lte } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db, transaction } from "@/db/client";
import { busNotifications } from "@/lib/bus/tables";
import { readReplay } from "@/lib/bus/replay-read";
import { latestNotificationId, PAGE_BYTES, PAGE_ROWS, REPLAY_LIMIT, storeNotifications } from "@/lib/bus/store";
import { scratchSqlite, type ScratchEngine } from "../support/bus-harness";

let scratch: ScratchEngine;

beforeEach(async () => {
  scratch = await scratchSqlite("clickbus-store-");
});
afterEach(() => scratch.close());

/** Stores one notification per entry, each in its own transaction; returns their ids. */
async function store(...entries: Array<[channel: string, event: string, payload: unknown]>): Promise<number[]> {
  const ids: number[] = [];
  for (const [channel, event, payload] of entries) {
    const [stored] = await transaction((tx) => storeNotifications(tx, [{ channel, event, payload }]));
    if (typeof stored?.id !== "number") throw new Error("stored notifications have ids");
    ids.push(stored.id);
  }
  return ids;
}

const storedPayloads = async () => (await db().select().from(busNotifications)).map((row) => row.payload);

describe("storeNotifications", () => {
  it("returns the wire shape with fresh increasing ids, in the given order, and an ISO timestamp", async () => {
    const [first] = await transaction((tx) =>
      storeNotifications(tx, [{ channel: "game:1", event: "renamed", payload: { name: "A" } }]),
    );
    const [second, third] = await transaction((tx) =>
      storeNotifications(tx, [
        { channel: "game:1", event: "renamed", payload: { name: "B" } },
        { channel: "game:2", event: "renamed", payload: { name: "C" } },
      ]),
    );
    expect(first).toMatchObject({ channel: "game:1", event: "renamed", payload: { name: "A" } });
    expect(new Date(first?.at ?? "").toISOString()).toBe(first?.at);
    expect(second).toMatchObject({ channel: "game:1", payload: { name: "B" } });
    expect(third).toMatchObject({ channel: "game:2", payload: { name: "C" } });
    expect(second?.id).toBeGreaterThan(first?.id ?? Infinity);
    expect(third?.id).toBe((second?.id ?? 0) + 1);
    expect(await latestNotificationId()).toBe(third?.id);
  });

  it("stores nothing, and uses up no id, when the transaction rolls back", async () => {
    const [kept] = await store(["game:1", "renamed", { name: "kept" }]);
    await expect(
      transaction(async (tx) => {
        await storeNotifications(tx, [{ channel: "game:1", event: "renamed", payload: { name: "lost" } }]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await storedPayloads()).toEqual([JSON.stringify({ name: "kept" })]);
    expect(await latestNotificationId()).toBe(kept);
  });

  it("reports 0 as the latest id of an empty store", async () => {
    expect(await latestNotificationId()).toBe(0);
  });

  it("reads the latest id on SQLite's reader connection: an id counts once its transaction commits", async () => {
    const [before] = await store(["game:1", "renamed", { name: "before" }]);
    let seenInside = -1;
    await transaction(async (tx) => {
      await storeNotifications(tx, [{ channel: "game:1", event: "renamed", payload: { name: "open" } }]);
      seenInside = await latestNotificationId();
    });
    expect(seenInside).toBe(before);
    expect(await latestNotificationId()).toBe((before ?? 0) + 1);
  });
});

describe("readReplay", () => {
  it("returns the channels' notifications after the cursor, oldest first, and the latest id", async () => {
    const ids = await store(
      ["game:1", "clicks", { total: 1 }],
      ["game:2", "clicks", { total: 10 }],
      ["game:1", "clicks", { total: 2 }],
      ["lobby", "stats", { games: 1 }],
      ["game:1", "renamed", { name: "x" }],
      ["user:1", "game_added", { gameId: 1 }],
    );
    const replay = await readReplay(["game:1", "user:1"], ids[0]);
    expect(replay.reset).toBe(false);
    expect(replay.last).toBe(ids[5]);
    expect(replay.notifications.map((n) => [n.id, n.channel, n.event, n.payload])).toEqual([
      [ids[2], "game:1", "clicks", { total: 2 }],
      [ids[4], "game:1", "renamed", { name: "x" }],
      [ids[5], "user:1", "game_added", { gameId: 1 }],
    ]);
    for (const n of replay.notifications) expect(new Date(n.at).toISOString()).toBe(n.at);
  });

  it("replays nothing without a cursor, for no channels, or at the latest id", async () => {
    const ids = await store(["game:1", "clicks", { total: 1 }], ["game:1", "clicks", { total: 2 }]);
    expect(await readReplay(["game:1"], undefined)).toEqual({
      notifications: [],
      last: ids[1],
      more: false,
      reset: false,
    });
    expect(await readReplay([], 0)).toEqual({ notifications: [], last: ids[1], more: false, reset: false });
    expect(await readReplay(["game:1"], ids[1])).toEqual({
      notifications: [],
      last: ids[1],
      more: false,
      reset: false,
    });
    expect((await readReplay(["game:1"], 0)).notifications).toHaveLength(2);
  });

  it("stops at the latest id it is given, so a page never runs past its cache key", async () => {
    const ids = await store(
      ["game:1", "clicks", { total: 1 }],
      ["game:1", "clicks", { total: 2 }],
      ["game:1", "clicks", { total: 3 }],
    );
    const upToSecond = await readReplay(["game:1"], 0, { rows: PAGE_ROWS, bytes: PAGE_BYTES }, ids[1]);
    expect(upToSecond).toMatchObject({ last: ids[1], more: false, reset: false });
    expect(upToSecond.notifications.map((n) => n.id)).toEqual(ids.slice(0, 2));
  });

  it("resets a cursor that is ahead of the database", async () => {
    const [only] = await store(["game:1", "clicks", { total: 1 }]);
    expect(await readReplay(["game:1"], (only ?? 0) + 1)).toEqual({
      notifications: [],
      last: only,
      more: false,
      reset: true,
    });
    expect((await readReplay([], (only ?? 0) + 1)).reset).toBe(true);
  });

  it("resets a cursor that is behind what pruning kept, and replays one right at the edge", async () => {
    const ids = await store(
      ["game:1", "clicks", { total: 1 }],
      ["game:1", "clicks", { total: 2 }],
      ["game:1", "clicks", { total: 3 }],
      ["game:1", "clicks", { total: 4 }],
    );
    const [first, second, third, fourth] = ids as [number, number, number, number];
    await transaction(() => db().delete(busNotifications).where(lte(busNotifications.id, second)));
    expect(await readReplay(["game:1"], first)).toEqual({ notifications: [], last: fourth, more: false, reset: true });
    expect((await readReplay(["game:1"], 0)).reset).toBe(true);
    const atEdge = await readReplay(["game:1"], second);
    expect(atEdge.reset).toBe(false);
    expect(atEdge.notifications.map((n) => n.id)).toEqual([third, fourth]);
  });

  it("resets any older cursor once everything was pruned, but not one at the latest id", async () => {
    const ids = await store(["game:1", "clicks", { total: 1 }], ["game:1", "clicks", { total: 2 }]);
    await transaction(() => db().delete(busNotifications));
    expect(await readReplay(["game:1"], ids[0])).toEqual({ notifications: [], last: ids[1], more: false, reset: true });
    expect(await readReplay(["game:1"], ids[1])).toEqual({
      notifications: [],
      last: ids[1],
      more: false,
      reset: false,
    });
  });

  it(`pages through up to ${REPLAY_LIMIT} missed notifications and resets above that`, async () => {
    await transaction((tx) =>
      storeNotifications(
        tx,
        Array.from({ length: REPLAY_LIMIT + 1 }, (_, index) => ({
          channel: "game:1",
          event: "clicks",
          payload: { total: index },
        })),
      ),
    );
    const latest = await latestNotificationId();
    const ids: number[] = [];
    let cursor = latest - REPLAY_LIMIT;
    for (let page = 0; page < REPLAY_LIMIT / PAGE_ROWS; page += 1) {
      const replay = await readReplay(["game:1"], cursor);
      expect(replay.reset).toBe(false);
      expect(replay.notifications).toHaveLength(PAGE_ROWS);
      ids.push(...replay.notifications.map((n) => n.id ?? 0));
      expect(replay.more).toBe(page < REPLAY_LIMIT / PAGE_ROWS - 1);
      expect(replay.last).toBe(replay.more ? replay.notifications.at(-1)?.id : latest);
      cursor = replay.last;
    }
    expect(ids).toEqual(Array.from({ length: REPLAY_LIMIT }, (_, index) => latest - REPLAY_LIMIT + 1 + index));
    expect(await readReplay(["game:1"], latest - REPLAY_LIMIT - 1)).toEqual({
      notifications: [],
      last: latest,
      more: false,
      reset: true,
    });
    // Other channels' notifications do not count towards the limit.
    expect(await readReplay(["game:2"], 0)).toEqual({ notifications: [], last: latest, more: false, reset: false });
    expect(await db().select().from(busNotifications).where(gt(busNotifications.id, 0))).toHaveLength(REPLAY_LIMIT + 1);
  });

  it("keeps a page under the byte limit, yet always moves forward by at least one", async () => {
    const big = "x".repeat(200 * 1024);
    const ids = await store(
      ["game:1", "clicks", { big }],
      ["game:1", "clicks", { big }],
      ["game:1", "clicks", { big }],
      ["game:1", "clicks", { big }],
    );
    const first = await readReplay(["game:1"], 0);
    expect(first.notifications.map((n) => n.id)).toEqual(ids.slice(0, 2));
    expect(first).toMatchObject({ more: true, last: ids[1], reset: false });
    const rest = await readReplay(["game:1"], first.last);
    expect(rest).toMatchObject({ more: false, last: ids[3] });
    expect(rest.notifications.map((n) => n.id)).toEqual(ids.slice(2));
    const huge = await readReplay(["game:1"], 0, { rows: PAGE_ROWS, bytes: 1 });
    expect(huge.notifications.map((n) => n.id)).toEqual([ids[0]]);
    expect(huge).toMatchObject({ more: true, last: ids[0] });
    expect(JSON.stringify(first.notifications).length).toBeLessThanOrEqual(PAGE_BYTES);
  });

  it("honours a smaller row limit (a socket's remaining replay budget), and says `more` with no room at all", async () => {
    const ids = await store(
      ["game:1", "clicks", { total: 1 }],
      ["game:1", "clicks", { total: 2 }],
      ["game:1", "clicks", { total: 3 }],
    );
    const page = await readReplay(["game:1"], 0, { rows: 2, bytes: PAGE_BYTES });
    expect(page).toMatchObject({ more: true, last: ids[1] });
    expect(page.notifications.map((n) => n.id)).toEqual(ids.slice(0, 2));
    expect(await readReplay(["game:1"], ids[1], { rows: 0, bytes: 0 })).toEqual({
      notifications: [],
      last: ids[1],
      more: true,
      reset: false,
    });
    expect(await readReplay(["game:1"], ids[2], { rows: 0, bytes: 0 })).toEqual({
      notifications: [],
      last: ids[2],
      more: false,
      reset: false,
    });
  });
});
