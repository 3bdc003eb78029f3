// Integration: presence on game channels. One entry per user however many sockets they have,
// users appear and disappear as their sockets come and go, `presence: false` subscriptions are
// not counted, a revoked member drops out, and a big room gets counts and changes, not lists.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PresencePayload, PresentUser, WireNotification } from "@/lib/bus/events";
import { FULL_LIST_MAX } from "@/lib/bus/presence-plan";
import { applyPresence, EMPTY_PRESENCE, presencePayloadSchema, type PresenceState } from "@/lib/bus/presence-state";
import {
  nextNotification,
  busHarnessForFile,
  subscribeOk,
  until,
  type BusClient,
  type TestUser,
} from "../support/bus-harness";

const h = busHarnessForFile();

const ref = (user: TestUser): PresentUser => ({ id: user.id, username: user.username });
const payloadOf = (notification: WireNotification): PresencePayload =>
  presencePayloadSchema.parse(notification.payload);
/** A small room's message: always the whole list. */
const players = (notification: WireNotification): PresentUser[] => payloadOf(notification).players ?? [];
/** Ids in order; this app's are numbers (the bus allows strings too). */
const ids = (list: PresentUser[]) => list.map((player) => Number(player.id));

/** The next presence message of `channel` on `socket` whose player ids are exactly `expected`. */
function presenceOf(socket: BusClient, channel: string, expected: TestUser[]): Promise<WireNotification> {
  const want = JSON.stringify(expected.map((user) => user.id).sort((a, b) => a - b));
  return nextNotification(
    socket,
    (n) =>
      n.channel === channel && n.event === "presence" && JSON.stringify(ids(players(n)).sort((a, b) => a - b)) === want,
    `presence ${channel} = ${want}`,
  );
}

describe("presence", () => {
  it("counts a user once across sockets, shows others, and drops a user when their last socket closes", async () => {
    const [alice, bob, carol] = await Promise.all([h.user("alice"), h.user("bob"), h.user("carol")]);
    const gameId = await h.gameWith(alice, bob, carol);
    const channel = `game:${gameId}`;
    const [alice1, alice2] = await Promise.all([h.connect(alice), h.connect(alice, { via: "cookie" })]);
    await subscribeOk(alice1, { channels: [channel] });
    await subscribeOk(alice2, { channels: [channel] });

    // Bob joins after both of alice's sockets: any presence that lists him reflects both.
    const bob1 = await h.connect(bob);
    const bothSeen = presenceOf(bob1, channel, [alice, bob]);
    await subscribeOk(bob1, { channels: [channel] });
    const both = await bothSeen;
    expect(both.id).toBeNull();
    expect(players(both)).toEqual([ref(alice), ref(bob)].sort((a, b) => a.username.localeCompare(b.username)));

    // One of alice's sockets closes: she is still here (checked once carol's arrival is shown).
    await h.close(alice1);
    const carol1 = await h.connect(carol);
    const withCarol = presenceOf(bob1, channel, [alice, bob, carol]);
    await subscribeOk(carol1, { channels: [channel] });
    expect(players(await withCarol).filter((player) => player.id === alice.id)).toHaveLength(1);

    // Her last socket closes: she is gone.
    const withoutAlice = presenceOf(bob1, channel, [bob, carol]);
    await h.close(alice2);
    await withoutAlice;

    // Unsubscribing counts as leaving too.
    const withoutCarol = presenceOf(bob1, channel, [bob]);
    carol1.emit("unsubscribe", { channels: [channel] }, () => undefined);
    await withoutCarol;
  });

  it("does not count `presence: false` subscriptions, which still receive the channel", async () => {
    const [alice, bob, watcher] = await Promise.all([h.user("alice"), h.user("bob"), h.user("watcher")]);
    const gameId = await h.gameWith(alice, bob, watcher);
    const channel = `game:${gameId}`;
    const aliceTab = await h.connect(alice);
    await subscribeOk(aliceTab, { channels: [channel] });

    const watching = await h.connect(watcher);
    await subscribeOk(watching, { channels: [channel], presence: false });
    // Bob subscribes after the watcher: presence that lists him is computed after the watcher joined.
    const bobTab = await h.connect(bob);
    const afterBob = presenceOf(aliceTab, channel, [alice, bob]);
    await subscribeOk(bobTab, { channels: [channel] });
    expect(ids(players(await afterBob))).not.toContain(watcher.id);
    expect(await h.lib.presence.presentPlayers(channel)).toEqual(expect.not.arrayContaining([ref(watcher)]));

    // The watcher receives the channel's notifications all the same, presence included.
    const clicks = nextNotification(watching, (n) => n.event === "tally");
    await h.lib.clicks.addClicks(bob, { gameId, count: 2, batchId: randomUUID() });
    expect((await clicks).payload).toMatchObject({ total: 2 });

    // Subscribing again without the flag makes the watcher count.
    const counted = presenceOf(aliceTab, channel, [alice, bob, watcher]);
    await subscribeOk(watching, { channels: [channel] });
    await counted;
  });

  it("drops a removed member from presence at once", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    const gameId = await h.gameWith(alice, bob);
    const channel = `game:${gameId}`;
    const aliceTab = await h.connect(alice);
    await subscribeOk(aliceTab, { channels: [channel] });
    const bobTab = await h.connect(bob);
    const together = presenceOf(aliceTab, channel, [alice, bob]);
    await subscribeOk(bobTab, { channels: [channel] });
    await together;

    const alone = presenceOf(aliceTab, channel, [alice]);
    await h.lib.members.removeMember(alice, gameId, bob.id);
    await alone;
    expect(bobTab.connected).toBe(true);
  });

  it("sends a big room the count and who joined or left; a newcomer gets a snapshot; folding them gives the room", async () => {
    const size = FULL_LIST_MAX + 2;
    const [owner, ...others] = await Promise.all(Array.from({ length: size }, (_, i) => h.user(`crowd${i}`)));
    const gameId = await h.gameWith(owner!, ...others);
    const channel = `game:${gameId}`;
    const [late, leaving, ...rest] = others;
    const everyone = [owner!, ...rest, leaving!];
    const sockets = await Promise.all(everyone.map((user) => h.connect(user)));
    const ownerSocket = sockets[0]!;
    const leavingSocket = sockets.at(-1)!;
    // The owner's socket folds every presence message it gets, as the browser bus does.
    let seen: PresenceState = EMPTY_PRESENCE;
    const messages: PresencePayload[] = [];
    ownerSocket.on("notification", (n) => {
      if (n.channel !== channel || n.event !== "presence") return;
      messages.push(payloadOf(n));
      seen = applyPresence(seen, payloadOf(n));
    });
    for (const socket of sockets) await subscribeOk(socket, { channels: [channel] });
    await until(() => seen.count === everyone.length, `${everyone.length} here`);

    // Past FULL_LIST_MAX players, a change is the count and the change alone.
    const lateSocket = await h.connect(late!);
    const lateView = nextNotification(lateSocket, (n) => n.channel === channel && n.event === "presence");
    const before = messages.length;
    await subscribeOk(lateSocket, { channels: [channel] });
    await until(() => seen.count === size, "the late player counted");
    expect(messages.slice(before).at(-1)).toEqual({ count: size, joined: [ref(late!)] });
    const snapshot = payloadOf(await lateView);
    expect(snapshot.count).toBe(size);
    expect(ids(snapshot.players ?? []).sort((a, b) => a - b)).toEqual(
      [owner!, ...others].map((user) => user.id).sort((a, b) => a - b),
    );

    const afterJoin = messages.length;
    await h.close(leavingSocket);
    await until(() => seen.count === size - 1, "the leaver gone");
    expect(messages.slice(afterJoin).at(-1)).toEqual({ count: size - 1, left: [leaving!.id] });
    expect(ids(seen.players).sort((a, b) => a - b)).toEqual(
      ids(await h.lib.presence.presentPlayers(channel)).sort((a, b) => a - b),
    );
  });

  it("is not sent on channels without presence", async () => {
    const alice = await h.user("alice");
    const tab = await h.connect(alice);
    const seen: WireNotification[] = [];
    tab.on("notification", (n) => seen.push(n));
    await subscribeOk(tab, { channels: ["lobby"] });
    const other = await h.connect(alice);
    await subscribeOk(other, { channels: ["lobby"] });
    await other.emitWithAck("unsubscribe", { channels: ["lobby"] });
    await h.close(other);
    // Presence is coalesced on a timer; wait for one on a game channel, sent after the lobby's would be.
    const gameId = await h.gameWith(alice);
    const gamePresence = presenceOf(tab, `game:${gameId}`, [alice]);
    await subscribeOk(tab, { channels: [`game:${gameId}`] });
    await gamePresence;
    expect(seen.filter((n) => n.event === "presence" && n.channel !== `game:${gameId}`)).toEqual([]);
  });
});
