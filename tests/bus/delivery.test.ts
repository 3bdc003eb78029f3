// Integration: a real Socket.IO server and clients over SQLite. A committed change reaches every
// subscribed socket of every member and no one else; replay fills a disconnect's gap exactly,
// in order; a rolled-back transaction stores and emits nothing.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { WireNotification } from "@/lib/bus/events";
import {
  nextNotification,
  record,
  busHarnessForFile,
  subscribeOk,
  until,
  type BusClient,
} from "../support/bus-harness";

const h = busHarnessForFile();

const stored = (notifications: WireNotification[]) => notifications.filter((n) => n.id !== null && !h.isMarker(n));

describe("fan-out", () => {
  it("reaches every subscribed socket of every member, and no non-member or unsubscribed socket", async () => {
    const [alice, bob, mallory] = await Promise.all([h.user("alice"), h.user("bob"), h.user("mallory")]);
    const gameId = await h.gameWith(alice, bob);
    const channel = `game:${gameId}`;
    const aliceTabs = await Promise.all([h.connect(alice), h.connect(alice, { via: "cookie" }), h.connect(alice)]);
    const bobTabs = await Promise.all([h.connect(bob), h.connect(bob, { via: "cookie" })]);
    const bobIdle = await h.connect(bob);
    const malloryTab = await h.connect(mallory);

    for (const tab of [...aliceTabs, ...bobTabs])
      expect((await subscribeOk(tab, { channels: [channel] })).granted).toEqual([channel]);
    expect(await subscribeOk(malloryTab, { channels: [channel] })).toMatchObject({ granted: [], denied: [channel] });
    const outsiders = [bobIdle, malloryTab].map(record);

    const subscribers = [...aliceTabs, ...bobTabs];
    const arrivals = subscribers.map((tab) =>
      nextNotification(tab, (n) => n.channel === channel && n.event === "tally"),
    );
    const result = await h.click(bob, gameId, 7);
    const received = await Promise.all(arrivals);

    expect(result).toEqual({ total: 7, counted: true, paceMs: expect.any(Number) });
    for (const notification of received) {
      expect(notification).toEqual(received[0]);
      expect(notification).toMatchObject({
        channel,
        event: "tally",
        payload: { total: 7, contributions: [{ id: bob.id, username: bob.username, clicks: 7 }] },
      });
      expect(typeof notification.id).toBe("number");
    }

    await h.sync(bobIdle, malloryTab);
    for (const outsider of outsiders) expect(outsider.notifications.filter((n) => !h.isMarker(n))).toEqual([]);
  });

  it("sends a retried batch once", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const tab = await h.connect(alice);
    await subscribeOk(tab, { channels: [`game:${gameId}`] });
    const seen = record(tab);
    const batchId = randomUUID();
    expect(await h.lib.clicks.addClicks(alice, { gameId, count: 3, batchId })).toMatchObject({
      total: 3,
      counted: true,
    });
    expect(await h.lib.clicks.addClicks(alice, { gameId, count: 3, batchId })).toMatchObject({
      total: 3,
      counted: false,
    });
    await h.sync(tab);
    expect(stored(seen.notifications).map((n) => n.event)).toEqual(["tally"]);
  });

  it("delivers announcements in commit order with increasing ids", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const tab = await h.connect(alice);
    await subscribeOk(tab, { channels: [`game:${gameId}`] });
    const seen = record(tab);
    await h.click(alice, gameId, 60);
    await h.lib.games.renameGame(alice, gameId, { name: "Renamed" });
    // Crosses 100. Discrete events go out with their commit; the tally and the activity signal
    // are conflated (a window of 100 ms and 1 s), so theirs may come later, merged.
    await h.click(alice, gameId, 60);
    const lastTally = (n: WireNotification) => n.event === "tally" && JSON.stringify(n.payload).includes('"total":120');
    await until(
      () =>
        stored(seen.notifications).some(lastTally) && stored(seen.notifications).some((n) => n.event === "activity"),
      "the windows' notifications",
    );
    const events = stored(seen.notifications);
    expect(events.filter((n) => n.event !== "tally" && n.event !== "activity").map((n) => n.event)).toEqual([
      "renamed",
      "milestone",
    ]);
    expect(events[0]?.event).toBe("tally");
    expect(events.find(lastTally)?.payload).toEqual({
      total: 120,
      contributions: [{ id: alice.id, username: alice.username, clicks: 120 }],
    });
    const ids = events.map((n) => n.id ?? 0);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.find((n) => n.event === "milestone")?.payload).toEqual({
      value: 100,
      by: { id: alice.id, username: alice.username },
    });
  });
});

describe("replay", () => {
  it("returns exactly the notifications missed while disconnected, oldest first, with `last`", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    const gameId = await h.gameWith(alice, bob);
    const otherGame = await h.gameWith(alice, bob);
    const channel = `game:${gameId}`;

    const watcher = await h.connect(alice);
    await subscribeOk(watcher, { channels: [channel] });
    const live = record(watcher);

    let bobTab: BusClient = await h.connect(bob);
    const first = await subscribeOk(bobTab, { channels: [channel] });
    await h.click(alice, gameId, 1);
    const beforeDrop = await nextNotification(bobTab, (n) => n.event === "tally");
    await h.close(bobTab);

    await h.click(alice, gameId, 2);
    await h.click(bob, gameId, 3);
    await h.click(alice, otherGame, 4); // another channel: not part of this replay
    await h.lib.games.renameGame(alice, gameId, { name: "While you were away" });
    const missedOf = () =>
      stored(live.notifications).filter((n) => n.channel === channel && (n.id ?? 0) > (beforeDrop.id ?? Infinity));
    // The two batches' tallies may have been merged into one (same window) or not: 6 is the last.
    await until(
      () => missedOf().some((n) => n.event === "tally" && JSON.stringify(n.payload).includes('"total":6')),
      "the missed tally",
    );
    await until(() => missedOf().some((n) => n.event === "activity"), "the missed activity signal");
    const missed = missedOf();
    expect(
      missed
        .filter((n) => n.event !== "tally")
        .map((n) => n.event)
        .sort(),
    ).toEqual(["activity", "renamed"]);
    expect(missed.filter((n) => n.event === "tally").at(-1)?.payload).toMatchObject({ total: 6 });
    expect(beforeDrop.id).toBeGreaterThan(first.last);

    bobTab = await h.connect(bob);
    const replayed = record(bobTab);
    // Other channels' late announcements (the other game's trailing tally, its activity signal)
    // may still be stored around the subscribe: `last` is the store's latest id at its moment.
    const latestBefore = await h.lib.store.latestNotificationId();
    const ack = await subscribeOk(bobTab, { channels: [channel], last: beforeDrop.id ?? 0 });
    const latestAfter = await h.lib.store.latestNotificationId();
    await h.sync(bobTab);
    // The replay is inside the ack, exactly the missed ones, and nothing else comes as frames.
    expect(ack).toEqual({ granted: [channel], denied: [], last: expect.any(Number), notifications: missed });
    expect(ack.last).toBeGreaterThanOrEqual(latestBefore);
    expect(ack.last).toBeLessThanOrEqual(latestAfter);
    expect(ack.last).toBeGreaterThanOrEqual(missed.at(-1)?.id ?? Infinity);
    // Presence (volatile) may come and go as frames; no stored notification does.
    expect(stored(replayed.notifications)).toEqual([]);

    // Live delivery resumes right after the replay, without a gap or a repeat.
    const next = nextNotification(bobTab, (n) => n.event === "tally");
    await h.click(alice, gameId, 5);
    expect(await next).toMatchObject({ payload: { total: 11 } });
    await h.sync(bobTab);
    expect(stored(replayed.notifications).map((n) => n.payload)).toEqual([expect.objectContaining({ total: 11 })]);
  });

  it("replays nothing without `last`, and answers `reset` to a cursor ahead of the store", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    await h.click(alice, gameId, 1);
    const tab = await h.connect(alice);
    const seen = record(tab);
    const plain = await subscribeOk(tab, { channels: [`game:${gameId}`] });
    expect(plain.reset).toBeUndefined();
    const ahead = await subscribeOk(tab, { channels: [`game:${gameId}`], last: plain.last + 1000 });
    expect(ahead).toEqual({
      granted: [`game:${gameId}`],
      denied: [],
      last: plain.last,
      notifications: [],
      reset: true,
    });
    await h.sync(tab);
    expect(stored(seen.notifications)).toEqual([]);
  });

  it("answers `reset` when the cursor is older than what retention kept", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    await h.click(alice, gameId, 1);
    const tab = await h.connect(alice);
    const { last } = await subscribeOk(tab, { channels: [`game:${gameId}`] });
    const pruned = await h.lib.store.latestNotificationId();
    const liveClick = nextNotification(tab, (n) => n.event === "tally");
    await h.click(alice, gameId, 1);
    await liveClick;
    const { busNotifications } = h.lib.schema;
    const { lte } = await import("drizzle-orm");
    await h.lib.db.transaction(() => h.lib.db.db().delete(busNotifications).where(lte(busNotifications.id, pruned)));
    expect(await subscribeOk(tab, { channels: [`game:${gameId}`], last: last - 1 })).toMatchObject({
      notifications: [],
      reset: true,
    });
    // A cursor right at the pruning edge still replays what is kept.
    const atEdge = await subscribeOk(tab, { channels: [`game:${gameId}`], last });
    expect(atEdge.reset).toBeUndefined();
    expect(atEdge.notifications?.map((n) => n.event)).toEqual(["tally"]);
  });
});

describe("writes from a process without a Socket.IO server (a CLI)", () => {
  it("are stored but not emitted, and reach clients on their next subscribe with `last`", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const channel = `game:${gameId}`;
    const tab = await h.connect(alice);
    const { last } = await subscribeOk(tab, { channels: [channel] });
    const live = record(tab);

    // A separate Node process renames the game through the same lib code, on the same database file.
    const script = `
      const { renameGame } = await import("@/lib/games/games");
      await renameGame({ id: ${alice.id}, username: ${JSON.stringify(alice.username)} }, ${gameId}, { name: "Renamed by the CLI" });
    `;
    await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: process.cwd(),
      env: { ...process.env },
      timeout: 60_000,
    });
    await h.sync(tab);
    expect(stored(live.notifications)).toEqual([]);

    const ack = await subscribeOk(tab, { channels: [channel], last });
    expect(ack.last).toBeGreaterThan(last);
    expect((ack.notifications ?? []).map((n) => [n.channel, n.event, n.payload])).toEqual([
      [channel, "activity", {}],
      [channel, "renamed", { name: "Renamed by the CLI" }],
    ]);
  });
});

describe("transactions", () => {
  it("a rolled-back transaction stores nothing, emits nothing and changes nothing", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const channel = `game:${gameId}` as const;
    const tab = await h.connect(alice);
    await subscribeOk(tab, { channels: [channel] });
    const seen = record(tab);
    const { games, busNotifications } = h.lib.schema;
    const before = await h.lib.store.latestNotificationId();

    let ranAfterCommit = false;
    await expect(
      h.lib.transact.transact(async ({ tx, announce, afterCommit }) => {
        await tx.update(games).set({ name: "Never" }).where(eq(games.id, gameId));
        announce(channel, "renamed", { name: "Never" });
        afterCommit(() => (ranAfterCommit = true));
        throw new Error("the change failed after announcing");
      }),
    ).rejects.toThrow("the change failed after announcing");

    await h.sync(tab);
    expect(stored(seen.notifications)).toEqual([]);
    expect(ranAfterCommit).toBe(false);
    expect(await h.lib.store.latestNotificationId()).toBe(before);
    const rows = await h.lib.db.db().select().from(busNotifications).where(eq(busNotifications.channel, channel));
    expect(rows.map((n) => n.event)).toEqual(["activity"]);
    const [game] = await h.lib.db.db().select({ name: games.name }).from(games).where(eq(games.id, gameId));
    expect(game?.name).not.toBe("Never");

    // The same announcement in a transaction that commits does arrive (PostgreSQL used an id up).
    const arrives = nextNotification(tab, (n) => n.event === "renamed");
    await h.lib.transact.transact(async ({ announce }) => announce(channel, "renamed", { name: "Now" }));
    const now = await arrives;
    expect(now).toMatchObject({ channel, payload: { name: "Now" } });
    if (h.lib.db.engine().dialect === "sqlite") expect(now.id).toBe(before + 1);
    else expect(now.id).toBeGreaterThan(before);
  });

  it("emits only after the commit has ended the transaction", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const tab = await h.connect(alice);
    await subscribeOk(tab, { channels: [`game:${gameId}`] });
    const serverSide = h.bus.io.sockets.sockets.get(tab.id ?? "");
    if (!serverSide) throw new Error("no server-side socket");
    // Observe each outgoing notification on the server, synchronously, as it is emitted: on
    // SQLite the writer connection says whether a transaction is open on it.
    const { sqlite } = h.lib.db.engine();
    const inTransactionAtEmit: boolean[] = [];
    // Stored notifications only: a volatile presence message may go out in the same window.
    const onPacket = (event: string, notification: unknown) => {
      if (event !== "notification" || typeof Reflect.get(Object(notification), "id") !== "number") return;
      inTransactionAtEmit.push(sqlite ? sqlite.writer.inTransaction : h.lib.db.inTransaction());
    };
    serverSide.onAnyOutgoing(onPacket);
    await h.click(alice, gameId, 99);
    await h.click(alice, gameId, 1); // milestone + activity now, and the window's tally when it closes
    await until(() => inTransactionAtEmit.length === 4, "the window's tally");
    serverSide.offAnyOutgoing(onPacket);
    expect(inTransactionAtEmit).toEqual([false, false, false, false]);
  });
});
