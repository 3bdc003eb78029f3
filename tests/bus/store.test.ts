// Unit tests of lib/bus/store.ts on a real SQLite file: storing inside a transaction, replay
// order and filtering, paging by rows and bytes, and when a cursor gets `reset` (behind pruning,
// ahead of the db, too far).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gt, lte } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "@/db/client";
import { busNotifications } from "@/db/schema";
import { latestNotificationId, PAGE_BYTES, PAGE_ROWS, readReplay, REPLAY_LIMIT, storeNotification } from "@/lib/bus/store";

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clickbus-store-"));
  db = openDatabase(join(dir, "bus.db"));
  migrateDatabase(db);
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Stores one notification per entry, each in its own transaction; returns their ids. */
function store(...entries: Array<[channel: string, event: string, payload: unknown]>): number[] {
  return entries.map(([channel, event, payload]) => {
    const stored = db.transaction((tx) => storeNotification(tx, channel, event, payload));
    if (stored.id === null) throw new Error("stored notifications have ids");
    return stored.id;
  });
}

describe("storeNotification", () => {
  it("returns the wire shape with a fresh increasing id and an ISO timestamp", () => {
    const first = db.transaction((tx) => storeNotification(tx, "game:1", "renamed", { name: "A" }));
    const second = db.transaction((tx) => storeNotification(tx, "game:1", "renamed", { name: "B" }));
    expect(first).toMatchObject({ channel: "game:1", event: "renamed", payload: { name: "A" } });
    expect(new Date(first.at).toISOString()).toBe(first.at);
    expect(second.id).toBeGreaterThan(first.id ?? Infinity);
    expect(latestNotificationId(db)).toBe(second.id);
  });

  it("stores nothing, and uses up no id, when the transaction rolls back", () => {
    const [kept] = store(["game:1", "renamed", { name: "kept" }]);
    expect(() =>
      db.transaction((tx) => {
        storeNotification(tx, "game:1", "renamed", { name: "lost" });
        throw new Error("the change failed");
      }),
    ).toThrow("the change failed");
    expect(db.select().from(busNotifications).all().map((row) => row.payload)).toEqual([JSON.stringify({ name: "kept" })]);
    expect(latestNotificationId(db)).toBe(kept);
  });

  it("reports 0 as the latest id of an empty store", () => {
    expect(latestNotificationId(db)).toBe(0);
  });
});

describe("readReplay", () => {
  it("returns the channels' notifications after the cursor, oldest first, and the latest id", () => {
    const ids = store(
      ["game:1", "clicks", { total: 1 }],
      ["game:2", "clicks", { total: 10 }],
      ["game:1", "clicks", { total: 2 }],
      ["lobby", "stats", { games: 1 }],
      ["game:1", "renamed", { name: "x" }],
      ["user:1", "game_added", { gameId: 1 }],
    );
    const replay = readReplay(db, ["game:1", "user:1"], ids[0]);
    expect(replay.reset).toBe(false);
    expect(replay.last).toBe(ids[5]);
    expect(replay.notifications.map((n) => [n.id, n.channel, n.event, n.payload])).toEqual([
      [ids[2], "game:1", "clicks", { total: 2 }],
      [ids[4], "game:1", "renamed", { name: "x" }],
      [ids[5], "user:1", "game_added", { gameId: 1 }],
    ]);
    for (const n of replay.notifications) expect(new Date(n.at).toISOString()).toBe(n.at);
  });

  it("replays nothing without a cursor, for no channels, or at the latest id", () => {
    const ids = store(["game:1", "clicks", { total: 1 }], ["game:1", "clicks", { total: 2 }]);
    expect(readReplay(db, ["game:1"], undefined)).toEqual({ notifications: [], last: ids[1], more: false, reset: false });
    expect(readReplay(db, [], 0)).toEqual({ notifications: [], last: ids[1], more: false, reset: false });
    expect(readReplay(db, ["game:1"], ids[1])).toEqual({ notifications: [], last: ids[1], more: false, reset: false });
    expect(readReplay(db, ["game:1"], 0).notifications).toHaveLength(2);
  });

  it("resets a cursor that is ahead of the database", () => {
    const [only] = store(["game:1", "clicks", { total: 1 }]);
    expect(readReplay(db, ["game:1"], (only ?? 0) + 1)).toEqual({ notifications: [], last: only, more: false, reset: true });
    expect(readReplay(db, [], (only ?? 0) + 1).reset).toBe(true);
  });

  it("resets a cursor that is behind what pruning kept, and replays one right at the edge", () => {
    const ids = store(
      ["game:1", "clicks", { total: 1 }],
      ["game:1", "clicks", { total: 2 }],
      ["game:1", "clicks", { total: 3 }],
      ["game:1", "clicks", { total: 4 }],
    );
    const [first, second, third, fourth] = ids as [number, number, number, number];
    db.delete(busNotifications).where(lte(busNotifications.id, second)).run();
    expect(readReplay(db, ["game:1"], first)).toEqual({ notifications: [], last: fourth, more: false, reset: true });
    expect(readReplay(db, ["game:1"], 0).reset).toBe(true);
    const atEdge = readReplay(db, ["game:1"], second);
    expect(atEdge.reset).toBe(false);
    expect(atEdge.notifications.map((n) => n.id)).toEqual([third, fourth]);
  });

  it("resets any older cursor once everything was pruned, but not one at the latest id", () => {
    const ids = store(["game:1", "clicks", { total: 1 }], ["game:1", "clicks", { total: 2 }]);
    db.delete(busNotifications).run();
    expect(readReplay(db, ["game:1"], ids[0])).toEqual({ notifications: [], last: ids[1], more: false, reset: true });
    expect(readReplay(db, ["game:1"], ids[1])).toEqual({ notifications: [], last: ids[1], more: false, reset: false });
  });

  it(`pages through up to ${REPLAY_LIMIT} missed notifications and resets above that`, () => {
    db.transaction((tx) => {
      for (let index = 0; index <= REPLAY_LIMIT; index += 1) storeNotification(tx, "game:1", "clicks", { total: index });
    });
    const latest = latestNotificationId(db);
    const ids: number[] = [];
    let cursor = latest - REPLAY_LIMIT;
    for (let page = 0; page < REPLAY_LIMIT / PAGE_ROWS; page += 1) {
      const replay = readReplay(db, ["game:1"], cursor);
      expect(replay.reset).toBe(false);
      expect(replay.notifications).toHaveLength(PAGE_ROWS);
      ids.push(...replay.notifications.map((n) => n.id ?? 0));
      expect(replay.more).toBe(page < REPLAY_LIMIT / PAGE_ROWS - 1);
      expect(replay.last).toBe(replay.more ? replay.notifications.at(-1)?.id : latest);
      cursor = replay.last;
    }
    expect(ids).toEqual(Array.from({ length: REPLAY_LIMIT }, (_, index) => latest - REPLAY_LIMIT + 1 + index));
    expect(readReplay(db, ["game:1"], latest - REPLAY_LIMIT - 1)).toEqual({ notifications: [], last: latest, more: false, reset: true });
    // Other channels' notifications do not count towards the limit.
    expect(readReplay(db, ["game:2"], 0)).toEqual({ notifications: [], last: latest, more: false, reset: false });
    expect(db.select().from(busNotifications).where(gt(busNotifications.id, 0)).all()).toHaveLength(REPLAY_LIMIT + 1);
  });

  it("keeps a page under the byte limit, yet always moves forward by at least one", () => {
    const big = "x".repeat(200 * 1024);
    const ids = store(["game:1", "clicks", { big }], ["game:1", "clicks", { big }], ["game:1", "clicks", { big }], ["game:1", "clicks", { big }]);
    const first = readReplay(db, ["game:1"], 0);
    expect(first.notifications.map((n) => n.id)).toEqual(ids.slice(0, 2));
    expect(first).toMatchObject({ more: true, last: ids[1], reset: false });
    const rest = readReplay(db, ["game:1"], first.last);
    expect(rest).toMatchObject({ more: false, last: ids[3] });
    expect(rest.notifications.map((n) => n.id)).toEqual(ids.slice(2));
    const huge = readReplay(db, ["game:1"], 0, { rows: PAGE_ROWS, bytes: 1 });
    expect(huge.notifications.map((n) => n.id)).toEqual([ids[0]]);
    expect(huge).toMatchObject({ more: true, last: ids[0] });
    expect(JSON.stringify(first.notifications).length).toBeLessThanOrEqual(PAGE_BYTES);
  });

  it("honours a smaller row limit (a socket's remaining replay budget)", () => {
    const ids = store(["game:1", "clicks", { total: 1 }], ["game:1", "clicks", { total: 2 }], ["game:1", "clicks", { total: 3 }]);
    const page = readReplay(db, ["game:1"], 0, { rows: 2, bytes: PAGE_BYTES });
    expect(page).toMatchObject({ more: true, last: ids[1] });
    expect(page.notifications.map((n) => n.id)).toEqual(ids.slice(0, 2));
  });
});
