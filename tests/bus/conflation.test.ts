// Conflated events (lib/bus/conflation.ts) through a real bus on SQLite: the first announcement
// after a quiet window is stored in its own transaction and emitted at once, those inside the
// window wait in bus_conflated and become one stored notification, a rollback leaves nothing
// waiting, and what a dead node left waiting is merged exactly once by any node's sweep.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import { conflated } from "@/lib/bus/conflated-event";
import { sweepConflated } from "@/lib/bus/conflation-sweep";
import {
  busHarnessForFile,
  nextNotification,
  record,
  subscribeOk,
  until,
  type BusClient,
} from "../support/bus-harness";

type MeterChannel = `meter:${number}`;
type Level = { level: number; by: string[] };

declare module "@/lib/bus/events" {
  interface ChannelTypes {
    meter: { channel: MeterChannel; events: { level: Level; reading: Level; reset: Record<string, never> } };
  }
}

const levelSchema: z.ZodType<Level> = z.object({ level: z.number(), by: z.array(z.string()) });
/** Long enough that a test's announcements right after the first all fall inside its window. */
const WINDOW_MS = 1500;
const meterKind: ChannelKind = {
  kind: "meter",
  id: /^[1-9]\d{0,5}$/,
  authorize: () => true,
  conflate: {
    level: conflated({
      payload: levelSchema,
      windowMs: WINDOW_MS,
      merge: (earlier, later) => ({ level: later.level, by: [...earlier.by, ...later.by] }),
    }),
    // Windows only once a channel carries more than 5 a second.
    reading: conflated({
      payload: levelSchema,
      windowMs: WINDOW_MS,
      busyAbove: 5,
      merge: (earlier, later) => ({ level: later.level, by: [...earlier.by, ...later.by] }),
    }),
  },
};

const h = busHarnessForFile({ kinds: [meterKind] });

const announceLevel = (channel: MeterChannel, level: number, by: string) =>
  h.lib.transact.transact(async ({ announce }) => announce(channel, "level", { level, by: [by] }));

async function storedEvents(channel: string): Promise<string[]> {
  const { busNotifications } = h.lib.schema;
  const rows = await h.lib.db
    .db()
    .select({ event: busNotifications.event })
    .from(busNotifications)
    .where(eq(busNotifications.channel, channel));
  return rows.map((row) => row.event);
}

async function waiting(channel: string): Promise<number> {
  const { busConflated } = h.lib.schema;
  return (await h.lib.db.db().select().from(busConflated).where(eq(busConflated.channel, channel))).length;
}

async function watch(channel: MeterChannel): Promise<BusClient> {
  const tab = await h.connect(await h.user("watcher"));
  await subscribeOk(tab, { channels: [channel] });
  return tab;
}

describe("conflated events", () => {
  it("store and emit the first announcement at once, and merge the window's others into one notification", async () => {
    const channel: MeterChannel = "meter:1";
    const tab = await watch(channel);
    const seen = record(tab);
    const first = nextNotification(tab, (n) => n.event === "level");
    await announceLevel(channel, 1, "a");
    // Leading edge: stored by its own transaction, so it is there when transact returns.
    expect(await storedEvents(channel)).toEqual(["level"]);
    expect((await first).payload).toEqual({ level: 1, by: ["a"] });

    await announceLevel(channel, 2, "b");
    await h.lib.transact.transact(async ({ announce }) => {
      announce(channel, "level", { level: 3, by: ["c"] });
      announce(channel, "reset", {});
      announce(channel, "level", { level: 4, by: ["d"] });
    });
    // Inside the window: waiting, not yet a notification; the discrete event went out at once.
    expect(await storedEvents(channel)).toEqual(["level", "reset"]);
    expect(await waiting(channel)).toBe(2);

    await until(() => seen.notifications.filter((n) => n.event === "level").length === 2, "the window's notification");
    const levels = seen.notifications.filter((n) => n.event === "level");
    expect(levels.map((n) => n.payload)).toEqual([
      { level: 1, by: ["a"] },
      { level: 4, by: ["b", "c", "d"] },
    ]);
    expect(seen.notifications.filter((n) => n.id !== null && !h.isMarker(n)).map((n) => n.event)).toEqual([
      "level",
      "reset",
      "level",
    ]);
    expect(await storedEvents(channel)).toEqual(["level", "reset", "level"]);
    expect(await waiting(channel)).toBe(0);

    // Replayed like any other: a client back from the first id gets the rest, merged.
    const back = await h.connect(await h.user("back"));
    const ack = await subscribeOk(back, { channels: [channel], last: (await first).id ?? 0 });
    expect(ack.notifications?.map((n) => [n.event, n.payload])).toEqual([
      ["reset", {}],
      ["level", { level: 4, by: ["b", "c", "d"] }],
    ]);
  });

  it("leave nothing waiting for a transaction that rolled back", async () => {
    const channel: MeterChannel = "meter:2";
    const tab = await watch(channel);
    const seen = record(tab);
    await announceLevel(channel, 1, "opens the window");
    const failed = h.lib.transact.transact(async ({ announce }) => {
      announce(channel, "level", { level: 99, by: ["rolled back"] });
      throw new Error("the change failed");
    });
    await expect(failed).rejects.toThrow("the change failed");
    expect(await waiting(channel)).toBe(0);
    await announceLevel(channel, 2, "committed");
    await until(() => seen.notifications.filter((n) => n.event === "level").length === 2, "the window's notification");
    expect(seen.notifications.filter((n) => n.event === "level").map((n) => n.payload)).toEqual([
      { level: 1, by: ["opens the window"] },
      { level: 2, by: ["committed"] },
    ]);
  });

  it("merge what a dead node left waiting exactly once, whichever sweeps run", async () => {
    const channel: MeterChannel = "meter:3";
    const tab = await watch(channel);
    const seen = record(tab);
    // Committed by a node that was killed before its window closed.
    const { busConflated } = h.lib.schema;
    const longAgo = new Date(Date.now() - 60_000);
    await h.lib.db.transaction(() =>
      h.lib.db
        .db()
        .insert(busConflated)
        .values([
          { channel, event: "level", payload: JSON.stringify({ level: 5, by: ["x"] }), createdAt: longAgo },
          { channel, event: "level", payload: JSON.stringify({ level: 6, by: ["y"] }), createdAt: longAgo },
        ]),
    );
    const merged = nextNotification(tab, (n) => n.event === "level");
    await Promise.all([sweepConflated(), sweepConflated()]);
    expect((await merged).payload).toEqual({ level: 6, by: ["x", "y"] });
    await sweepConflated();
    await h.sync(tab);
    expect(seen.notifications.filter((n) => n.event === "level")).toHaveLength(1);
    expect(await storedEvents(channel)).toEqual(["level"]);
    expect(await waiting(channel)).toBe(0);
  });

  it("go out at once while the channel is not busy, and wait for windows once it is", async () => {
    const channel: MeterChannel = "meter:4";
    const tab = await watch(channel);
    const seen = record(tab);
    const read = (level: number) =>
      h.lib.transact.transact(async ({ announce }) => announce(channel, "reading", { level, by: [String(level)] }));
    for (const level of [1, 2, 3]) await read(level);
    // Three in a row are under the threshold: each stored by its own transaction, none waiting.
    expect(await storedEvents(channel)).toEqual(["reading", "reading", "reading"]);
    expect(await waiting(channel)).toBe(0);
    for (let level = 4; level <= 12; level += 1) await read(level);
    // Over five a second: the rest of the window waits for its one notification.
    expect(await waiting(channel)).toBeGreaterThan(0);
    await until(
      () => seen.notifications.some((n) => n.event === "reading" && JSON.stringify(n.payload).includes('"level":12')),
      "the busy window's notification",
    );
    const readings = seen.notifications.filter((n) => n.event === "reading");
    expect(readings.length).toBeLessThan(12);
    expect(readings.flatMap((n) => levelSchema.parse(n.payload).by)).toEqual(
      Array.from({ length: 12 }, (_, index) => String(index + 1)),
    );
  });
});
