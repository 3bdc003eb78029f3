// Unit tests of lib/bus/retention.ts on a real SQLite file: pruning by count and by age (always a
// prefix of ids, which replay's `reset` relies on), and by count per channel (with its floor).
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db, transaction } from "@/db/client";
import { busChannelFloors, busNotifications } from "@/lib/bus/tables";
import { pruneNotifications } from "@/lib/bus/retention";
import { readReplay } from "@/lib/bus/replay-read";
import { latestNotificationId, REMOVED_UP_TO } from "@/lib/bus/store";
import { scratchSqlite, type ScratchEngine } from "../support/bus-harness";

const NOW = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;

let scratch: ScratchEngine;

beforeEach(async () => {
  scratch = await scratchSqlite("clickbus-retention-");
});
afterEach(() => scratch.close());

/** Inserts one notification on `channel`, created `minutesAgo` before NOW; returns its id. */
async function insert(channel: string, minutesAgo = 0): Promise<number> {
  const [row] = await transaction(() =>
    db()
      .insert(busNotifications)
      .values({ channel, event: "clicks", payload: "{}", createdAt: new Date(NOW - minutesAgo * MINUTE) })
      .returning({ id: busNotifications.id }),
  );
  if (!row) throw new Error("no id returned");
  return row.id;
}

/** Inserts one notification per age (minutes before NOW), in order; returns their ids. */
async function insertAged(...minutesAgo: number[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [index, minutes] of minutesAgo.entries()) ids.push(await insert(`game:${(index % 3) + 1}`, minutes));
  return ids;
}

const keptIds = async () =>
  (await db().select({ id: busNotifications.id }).from(busNotifications).orderBy(asc(busNotifications.id))).map(
    (row) => row.id,
  );

/** Every pruned id is below every kept id, and the kept ids run without holes up to the newest. */
function expectPrefixPruned(all: number[], kept: number[]): void {
  const pruned = all.filter((id) => !kept.includes(id));
  if (pruned.length > 0 && kept.length > 0) expect(Math.max(...pruned)).toBeLessThan(Math.min(...kept));
  expect(kept).toEqual(all.slice(all.length - kept.length));
}

const within = (maxCount: number, maxPerChannel = 1_000) => ({ maxAgeMs: 60 * MINUTE, maxCount, maxPerChannel });

describe("pruneNotifications", () => {
  it("does nothing on an empty store or when everything is within the policy", async () => {
    expect(await pruneNotifications(within(10), NOW)).toBe(0);
    const all = await insertAged(30, 20, 10);
    expect(await pruneNotifications(within(10), NOW)).toBe(0);
    expect(await keptIds()).toEqual(all);
    expect(await db().select().from(busChannelFloors)).toEqual([]);
  });

  it("keeps the newest maxCount notifications", async () => {
    const all = await insertAged(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    expect(await pruneNotifications(within(3), NOW)).toBe(7);
    expect(await keptIds()).toEqual(all.slice(7));
    expectPrefixPruned(all, await keptIds());
    expect(await pruneNotifications(within(3), NOW)).toBe(0);
  });

  it("removes notifications older than maxAgeMs", async () => {
    const all = await insertAged(120, 90, 61, 59, 30, 0);
    expect(await pruneNotifications(within(100), NOW)).toBe(3);
    expect(await keptIds()).toEqual(all.slice(3));
  });

  it("applies whichever bound removes more", async () => {
    const all = await insertAged(120, 90, 30, 20, 10, 0);
    expect(await pruneNotifications(within(2), NOW)).toBe(4);
    expect(await keptIds()).toEqual(all.slice(4));
    const more = await insertAged(200, 5);
    expect(await pruneNotifications(within(10), NOW)).toBe(3);
    expect(await keptIds()).toEqual(more.slice(1));
  });

  it("prunes a prefix of ids even when an old timestamp sits after newer ones", async () => {
    // A clock that stepped back: id order and time order disagree.
    const all = await insertAged(10, 5, 120, 1, 0);
    expect(await pruneNotifications(within(100), NOW)).toBe(3);
    expectPrefixPruned(all, await keptIds());
    expect(await keptIds()).toEqual(all.slice(3));
  });

  it("leaves replay consistent: cursors before the cut get reset, later ones replay", async () => {
    const all = await insertAged(120, 90, 30, 20, 10);
    await pruneNotifications(within(100), NOW);
    const channels = ["game:1", "game:2", "game:3"];
    expect((await readReplay(channels, all[0])).reset).toBe(true);
    const fromCut = await readReplay(channels, all[1]);
    expect(fromCut.reset).toBe(false);
    expect(fromCut.notifications.map((n) => n.id)).toEqual(all.slice(2));
    expect(await latestNotificationId()).toBe(all.at(-1));
  });

  it("keeps the latest id, and resets older cursors, when it prunes everything", async () => {
    const all = await insertAged(120, 90, 80);
    expect(await pruneNotifications(within(100), NOW)).toBe(3);
    expect(await keptIds()).toEqual([]);
    expect(await latestNotificationId()).toBe(all.at(-1));
    expect(await readReplay(["game:1"], all[1])).toMatchObject({ reset: true, last: all.at(-1) });
    expect(await readReplay(["game:1"], all.at(-1))).toMatchObject({ reset: false, notifications: [] });
    // The highest id removed is recorded for engines whose latest id is max(id) (PostgreSQL).
    expect(await db().select().from(busChannelFloors).where(eq(busChannelFloors.channel, REMOVED_UP_TO))).toEqual([
      { channel: REMOVED_UP_TO, prunedUpTo: all.at(-1) },
    ]);
    const next = await insert("game:1");
    expect(next).toBeGreaterThan(all.at(-1) ?? Infinity);
  });

  it("trims a flooded channel to its share without touching the others, and resets only its stale cursors", async () => {
    const quiet = [await insert("game:2"), await insert("game:3")];
    const flood: number[] = [];
    for (let index = 0; index < 12; index += 1) flood.push(await insert("game:1"));
    const policy = within(1_000, 5);
    expect(await pruneNotifications(policy, NOW)).toBe(7);
    expect(await keptIds()).toEqual([...quiet, ...flood.slice(7)]);
    expect(await pruneNotifications(policy, NOW)).toBe(0);

    // The flooded channel's old cursor must refetch; the quiet channels replay from anywhere.
    expect((await readReplay(["game:1"], flood[5])).reset).toBe(true);
    expect((await readReplay(["game:1", "game:2"], 0)).reset).toBe(true);
    expect((await readReplay(["game:1"], flood[6])).notifications.map((n) => n.id)).toEqual(flood.slice(7));
    expect(await readReplay(["game:2", "game:3"], 0)).toMatchObject({
      reset: false,
      notifications: [{ id: quiet[0] }, { id: quiet[1] }],
    });
  });

  it("keeps the reserved row when it drops the channel floors below the kept prefix", async () => {
    const old = await insertAged(120, 120);
    expect(await pruneNotifications(within(100), NOW)).toBe(2);
    const flood: number[] = [];
    for (let index = 0; index < 4; index += 1) flood.push(await insert("game:1"));
    // game:1 is trimmed to 2; its floor is then below every kept id, so it goes, as a real
    // channel's floor would; the reserved row, lower still, stays.
    expect(await pruneNotifications(within(100, 2), NOW)).toBe(2);
    expect(await db().select().from(busChannelFloors)).toEqual([{ channel: REMOVED_UP_TO, prunedUpTo: old[1] }]);
    expect(await keptIds()).toEqual(flood.slice(2));
  });
});
