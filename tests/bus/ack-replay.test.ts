// Replay inside the subscribe ack (docs/protocol.md#replay): pages of at most PAGE_ROWS with
// `more`, in id order with nothing lost or repeated, re-subscribing to a joined channel for a late
// tab's own replay, the replay budget that bounds a socket looping `subscribe { last: 0 }`, and
// malformed cursors.
import { beforeAll, describe, expect, it } from "vitest";
import { REPLAY_ROWS_BURST, REPLAY_ROWS_PER_SECOND } from "@/lib/bus/flood-guard";
import type { WireNotification } from "@/lib/bus/events";
import { busHarnessForFile, record, subscribe, subscribeOk, type TestUser } from "../support/bus-harness";

const h = busHarnessForFile();
/** lib/bus/store's, read through the harness: a top-level import would open the database early. */
const PAGE_ROWS = 500;
beforeAll(() => expect(h.lib.store.PAGE_ROWS).toBe(PAGE_ROWS));

/** Stores `count` renames of the game in one transaction; returns their ids. */
async function storeRenames(gameId: number, count: number): Promise<number[]> {
  const before = await h.lib.store.latestNotificationId();
  await h.lib.transact.transact(async ({ announce }) => {
    for (let index = 0; index < count; index += 1) announce(`game:${gameId}`, "renamed", { name: `name ${index}` });
  });
  const ids = Array.from({ length: count }, (_, index) => before + 1 + index);
  // One transaction's ids are consecutive (PostgreSQL's too: nothing else draws while it holds the lock).
  expect(await h.lib.store.latestNotificationId()).toBe(ids.at(-1) ?? before);
  return ids;
}

async function gameWithHistory(
  count: number,
): Promise<{ alice: TestUser; gameId: number; cursor: number; ids: number[] }> {
  const alice = await h.user("alice");
  const gameId = await h.gameWith(alice);
  const cursor = await h.lib.store.latestNotificationId();
  return { alice, gameId, cursor, ids: await storeRenames(gameId, count) };
}

describe("replay in the ack", () => {
  it("pages with `more` until the whole gap is replayed, oldest first, once each, and no frame carries it", async () => {
    const { alice, gameId, cursor, ids } = await gameWithHistory(PAGE_ROWS * 2 + 37);
    const channel = `game:${gameId}`;
    const tab = await h.connect(alice);
    const frames = record(tab);
    const received: number[] = [];
    const acks = [];
    let last = cursor;
    for (;;) {
      const ack = await subscribeOk(tab, { channels: [channel], last });
      acks.push(ack);
      received.push(...(ack.notifications ?? []).map((n) => n.id ?? -1));
      last = ack.last;
      if (!ack.more) break;
    }
    expect(acks.map((ack) => [ack.notifications?.length, ack.more ?? false])).toEqual([
      [PAGE_ROWS, true],
      [PAGE_ROWS, true],
      [37, false],
    ]);
    expect(acks.map((ack) => ack.last)).toEqual([
      ids[PAGE_ROWS - 1],
      ids[2 * PAGE_ROWS - 1],
      await h.lib.store.latestNotificationId(),
    ]);
    expect(received).toEqual(ids);
    await h.sync(tab);
    expect(frames.notifications.filter((n) => n.id !== null && !h.isMarker(n))).toEqual([]);
  });

  it("gives every socket of a room coming back together the same whole pages, through the shared page", async () => {
    const { alice, gameId, cursor, ids } = await gameWithHistory(PAGE_ROWS + 20);
    const channel = `game:${gameId}`;
    const tabs = await Promise.all(Array.from({ length: 6 }, () => h.connect(alice)));
    const pages = async (tab: (typeof tabs)[number]) => {
      const received: Array<readonly WireNotification[]> = [];
      for (let last = cursor; ;) {
        const ack = await subscribeOk(tab, { channels: [channel], last });
        received.push(ack.notifications ?? []);
        last = ack.last;
        if (!ack.more) return received;
      }
    };
    const answers = await Promise.all(tabs.map(pages));
    const first = answers[0] ?? [];
    expect(first.map((notifications) => notifications.length)).toEqual([PAGE_ROWS, 20]);
    expect(first.flat().map((n) => n.id)).toEqual(ids);
    for (const answer of answers) expect(answer).toEqual(first);
  });

  it("gives a late subscriber on an already joined channel exactly what followed its own cursor", async () => {
    const { alice, gameId, ids } = await gameWithHistory(5);
    const channel = `game:${gameId}`;
    const tab = await h.connect(alice);
    await subscribeOk(tab, { channels: [channel] });
    const again = await subscribeOk(tab, { channels: [channel], last: ids[2] });
    expect(again.notifications?.map((n) => n.id)).toEqual(ids.slice(3));
    expect(again).toMatchObject({ granted: [channel], denied: [] });
    expect(again.more).toBeUndefined();
  });

  it("charges replayed rows to the socket: a loop of `last: 0` cannot replay more than the budget allows", async () => {
    const { alice, gameId } = await gameWithHistory(2000);
    const tab = await h.connect(alice);
    const started = Date.now();
    let rows = 0;
    let refused = 0;
    // 30 calls stay under the message-rate burst, so only the replay budget is at play.
    for (let call = 0; call < 30; call += 1) {
      const ack = await subscribe(tab, { channels: [`game:${gameId}`], last: 0 });
      if ("error" in ack) {
        expect(ack.error).toBe("rate_limited");
        refused += 1;
      } else {
        rows += ack.notifications?.length ?? 0;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    // Without the charge this loop replays 30 × PAGE_ROWS rows.
    expect(rows).toBeLessThanOrEqual(REPLAY_ROWS_BURST + Math.ceil(seconds * REPLAY_ROWS_PER_SECOND) + 30);
    expect(rows).toBeLessThan(30 * PAGE_ROWS);
    expect(refused + rows).toBeGreaterThan(0);
    // Subscribing without a cursor asks for no replay and still works at once.
    expect(await subscribe(tab, { channels: ["lobby"] })).toMatchObject({ granted: ["lobby"] });
    expect(tab.connected).toBe(true);
  });

  it("refuses a malformed `last` and joins nothing", async () => {
    const { alice, gameId } = await gameWithHistory(1);
    const channel = `game:${gameId}`;
    const tab = await h.connect(alice);
    const seen = record(tab);
    for (const last of [-1, 1.5, "5", 2 ** 53, null, [], {}, Number.NaN]) {
      expect({ last, answer: await subscribe(tab, { channels: [channel], last }) }).toEqual({
        last,
        answer: { error: "invalid_payload" },
      });
    }
    await h.click(alice, gameId, 3);
    await h.sync(tab);
    expect(seen.notifications.filter((n) => n.channel === channel)).toEqual([]);
  });
});
