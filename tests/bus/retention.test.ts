// Unit tests of lib/bus/retention.ts on a real SQLite file: pruning by count and by age (always a
// prefix of ids, which replay's `reset` relies on), and by count per channel (with its floor).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "@/db/client";
import { busNotifications } from "@/db/schema";
import { pruneNotifications } from "@/lib/bus/retention";
import { latestNotificationId, readReplay } from "@/lib/bus/store";

const NOW = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clickbus-retention-"));
  db = openDatabase(join(dir, "bus.db"));
  migrateDatabase(db);
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Inserts one notification per age (minutes before NOW), in order; returns their ids. */
function insertAged(...minutesAgo: number[]): number[] {
  return minutesAgo.map(
    (minutes, index) =>
      db
        .insert(busNotifications)
        .values({ channel: `game:${(index % 3) + 1}`, event: "clicks", payload: "{}", createdAt: new Date(NOW - minutes * MINUTE) })
        .returning({ id: busNotifications.id })
        .get().id,
  );
}

const keptIds = () => db.select({ id: busNotifications.id }).from(busNotifications).orderBy(asc(busNotifications.id)).all().map((row) => row.id);

/** Every pruned id is below every kept id, and the kept ids run without holes up to the newest. */
function expectPrefixPruned(all: number[], kept: number[]): void {
  const pruned = all.filter((id) => !kept.includes(id));
  if (pruned.length > 0 && kept.length > 0) expect(Math.max(...pruned)).toBeLessThan(Math.min(...kept));
  expect(kept).toEqual(all.slice(all.length - kept.length));
}

describe("pruneNotifications", () => {
  it("does nothing on an empty store or when everything is within the policy", () => {
    expect(pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 10, maxPerChannel: 1_000 }, NOW)).toBe(0);
    const all = insertAged(30, 20, 10);
    expect(pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 10, maxPerChannel: 1_000 }, NOW)).toBe(0);
    expect(keptIds()).toEqual(all);
  });

  it("keeps the newest maxCount notifications", () => {
    const all = insertAged(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    expect(pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 3, maxPerChannel: 1_000 }, NOW)).toBe(7);
    expect(keptIds()).toEqual(all.slice(7));
    expectPrefixPruned(all, keptIds());
    expect(pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 3, maxPerChannel: 1_000 }, NOW)).toBe(0);
  });

  it("removes notifications older than maxAgeMs", () => {
    const all = insertAged(120, 90, 61, 59, 30, 0);
    expect(pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 100, maxPerChannel: 1_000 }, NOW)).toBe(3);
    expect(keptIds()).toEqual(all.slice(3));
  });

  it("applies whichever bound removes more", () => {
    const all = insertAged(120, 90, 30, 20, 10, 0);
    expect(pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 2, maxPerChannel: 1_000 }, NOW)).toBe(4);
    expect(keptIds()).toEqual(all.slice(4));
    const more = insertAged(200, 5);
    expect(pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 10, maxPerChannel: 1_000 }, NOW)).toBe(3);
    expect(keptIds()).toEqual(more.slice(1));
  });

  it("prunes a prefix of ids even when an old timestamp sits after newer ones", () => {
    // A clock that stepped back: id order and time order disagree.
    const all = insertAged(10, 5, 120, 1, 0);
    expect(pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 100, maxPerChannel: 1_000 }, NOW)).toBe(3);
    expectPrefixPruned(all, keptIds());
    expect(keptIds()).toEqual(all.slice(3));
  });

  it("leaves replay consistent: cursors before the cut get reset, later ones replay", () => {
    const all = insertAged(120, 90, 30, 20, 10);
    pruneNotifications(db, { maxAgeMs: 60 * MINUTE, maxCount: 100, maxPerChannel: 1_000 }, NOW);
    const channels = ["game:1", "game:2", "game:3"];
    expect(readReplay(db, channels, all[0]).reset).toBe(true);
    const fromCut = readReplay(db, channels, all[1]);
    expect(fromCut.reset).toBe(false);
    expect(fromCut.notifications.map((n) => n.id)).toEqual(all.slice(2));
    expect(latestNotificationId(db)).toBe(all.at(-1));
  });

  it("trims a flooded channel to its share without touching the others, and resets only its stale cursors", () => {
    const insert = (channel: string) => db.insert(busNotifications).values({ channel, event: "renamed", payload: "{}", createdAt: new Date(NOW) }).returning({ id: busNotifications.id }).get().id;
    const quiet = [insert("game:2"), insert("game:3")];
    const flood = Array.from({ length: 12 }, () => insert("game:1"));
    const policy = { maxAgeMs: 60 * MINUTE, maxCount: 1_000, maxPerChannel: 5 };
    expect(pruneNotifications(db, policy, NOW)).toBe(7);
    expect(keptIds()).toEqual([...quiet, ...flood.slice(7)]);
    expect(pruneNotifications(db, policy, NOW)).toBe(0);

    // The flooded channel's old cursor must refetch; the quiet channels replay from anywhere.
    expect(readReplay(db, ["game:1"], flood[5]).reset).toBe(true);
    expect(readReplay(db, ["game:1", "game:2"], 0).reset).toBe(true);
    expect(readReplay(db, ["game:1"], flood[6]).notifications.map((n) => n.id)).toEqual(flood.slice(7));
    expect(readReplay(db, ["game:2", "game:3"], 0)).toMatchObject({ reset: false, notifications: [{ id: quiet[0] }, { id: quiet[1] }] });
  });
});
