// Integration: `subscribe` / `unsubscribe` on a real server. Members are granted, non-members
// and missing games denied identically; unsubscribe stops delivery (but never the user channel);
// the 100-channel limit per socket (the user channel aside); volatile events carry `id: null` and
// are never replayed.
import { describe, expect, it } from "vitest";
import { MAX_CHANNELS } from "@/lib/bus/protocol";
import {
  nextNotification,
  record,
  busHarnessForFile,
  subscribe,
  subscribeOk,
  unsubscribe,
} from "../support/bus-harness";

const h = busHarnessForFile();

describe("subscribe", () => {
  it("grants members, denies a non-member and a missing game the same way", async () => {
    const [alice, bob, mallory] = await Promise.all([h.user("alice"), h.user("bob"), h.user("mallory")]);
    const gameId = await h.gameWith(alice, bob);
    const missing = (await h.gameWith(alice)) + 1000;
    const [aliceTab, bobTab, malloryTab] = await Promise.all([h.connect(alice), h.connect(bob), h.connect(mallory)]);

    expect(await subscribe(aliceTab, { channels: [`game:${gameId}`] })).toEqual({
      granted: [`game:${gameId}`],
      denied: [],
      last: expect.any(Number),
    });
    expect(await subscribe(bobTab, { channels: [`game:${gameId}`, "lobby"] })).toMatchObject({
      granted: [`game:${gameId}`, "lobby"],
      denied: [],
    });

    const notMine = await subscribe(malloryTab, { channels: [`game:${gameId}`] });
    const notThere = await subscribe(malloryTab, { channels: [`game:${missing}`] });
    expect(notMine).toEqual({ granted: [], denied: [`game:${gameId}`], last: expect.any(Number) });
    expect(notThere).toEqual({ granted: [], denied: [`game:${missing}`], last: expect.any(Number) });
    expect(Object.keys(notMine).sort()).toEqual(Object.keys(notThere).sort());
    expect("last" in notMine && "last" in notThere && notMine.last === notThere.last).toBe(true);

    // A mixed request is answered channel by channel, and the denied ones carry nothing.
    const mixed = await subscribeOk(malloryTab, {
      channels: ["lobby", `game:${gameId}`, `user:${alice.id}`, `user:${mallory.id}`, "admin:1"],
    });
    expect(mixed.granted).toEqual(["lobby", `user:${mallory.id}`]);
    expect(mixed.denied).toEqual([`game:${gameId}`, `user:${alice.id}`, "admin:1"]);
    const seen = record(malloryTab);
    await h.click(alice, gameId);
    await h.lib.transact.transact(async ({ announce }) => announce(`user:${alice.id}`, "session_revoked", {}));
    await h.sync(malloryTab);
    expect(seen.notifications.filter((n) => !h.isMarker(n))).toEqual([]);
  });

  it("is idempotent: subscribing twice to a channel delivers each notification once", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const tab = await h.connect(alice);
    await subscribeOk(tab, { channels: [`game:${gameId}`] });
    await subscribeOk(tab, { channels: [`game:${gameId}`, `game:${gameId}`] });
    const seen = record(tab);
    await h.click(alice, gameId);
    await h.sync(tab);
    expect(seen.notifications.filter((n) => n.event === "tally")).toHaveLength(1);
  });

  it(`holds at most ${MAX_CHANNELS} channels per socket besides the user's own channel`, async () => {
    const alice = await h.user("alice");
    const gameIds: number[] = [];
    for (let made = 0; made < MAX_CHANNELS; made += 1) gameIds.push(await h.gameWith(alice));
    const channels = gameIds.map((id) => `game:${id}`);
    const tab = await h.connect(alice);

    expect((await subscribeOk(tab, { channels })).granted).toHaveLength(MAX_CHANNELS);
    expect(await subscribe(tab, { channels: ["lobby"] })).toEqual({ error: "too_many_channels" });
    // Channels already held do not count again, the user's own channel neither.
    expect((await subscribeOk(tab, { channels: channels.slice(0, 10) })).granted).toHaveLength(10);
    expect((await subscribeOk(tab, { channels: [`user:${alice.id}`] })).granted).toEqual([`user:${alice.id}`]);
    await unsubscribe(tab, { channels: [channels[0]] });
    expect((await subscribeOk(tab, { channels: ["lobby"] })).granted).toEqual(["lobby"]);
    expect(await subscribe(tab, { channels: [channels[0]] })).toEqual({ error: "too_many_channels" });
  });
});

describe("unsubscribe", () => {
  it("stops delivery on that socket only", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const [leaving, staying] = await Promise.all([h.connect(alice), h.connect(alice)]);
    for (const tab of [leaving, staying]) await subscribeOk(tab, { channels: [`game:${gameId}`] });

    expect(await unsubscribe(leaving, { channels: [`game:${gameId}`, "game:999999", "lobby"] })).toEqual({ ok: true });
    const left = record(leaving);
    const arrives = nextNotification(staying, (n) => n.event === "tally");
    await h.click(alice, gameId);
    await arrives;
    await h.sync(leaving);
    expect(left.notifications.filter((n) => !h.isMarker(n))).toEqual([]);
  });

  it("never takes a socket out of its own user channel", async () => {
    const alice = await h.user("alice");
    const tab = await h.connect(alice);
    expect(await unsubscribe(tab, { channels: [`user:${alice.id}`] })).toEqual({ ok: true });
    const arrives = nextNotification(tab, (n) => n.channel === `user:${alice.id}` && n.event === "game_added");
    const { id } = await h.lib.games.createGame(alice, { name: "Still told" });
    expect((await arrives).payload).toEqual({ gameId: id, name: "Still told", total: 0 });
  });
});

describe("volatile events", () => {
  it("arrive with `id: null` and are never replayed", async () => {
    const alice = await h.user("alice");
    const gameId = await h.gameWith(alice);
    const channel = `game:${gameId}` as const;
    const tab = await h.connect(alice);
    const { last } = await subscribeOk(tab, { channels: [channel] });

    const volatile = nextNotification(
      tab,
      (n) => n.event === "presence" && JSON.stringify(n.payload).includes("volatile-test"),
    );
    h.lib.emit.emitVolatile(channel, "presence", { count: 1, players: [{ id: 0, username: "volatile-test" }] });
    expect(await volatile).toMatchObject({ id: null, channel, event: "presence" });
    const storedClick = nextNotification(tab, (n) => n.event === "tally");
    await h.click(alice, gameId);
    const clickId = (await storedClick).id;

    const later = await h.connect(alice);
    const replay = record(later);
    const ack = await subscribeOk(later, { channels: [channel], last, presence: false });
    await h.sync(later);
    expect((ack.notifications ?? []).map((n) => [n.id, n.event])).toEqual([[clickId, "tally"]]);
    expect(replay.notifications.some((n) => JSON.stringify(n.payload).includes("volatile-test"))).toBe(false);
  });
});
