// Subscribe without a synchronous store (docs/postgres.md): the store is read, and access is
// checked, while commits and revocations go on. A channel kind whose check the test holds open
// shows that what commits between the first read and the join is in the ack, that a cursor-less
// ack's `last` covers it, that a revocation or a closed channel arriving meanwhile is not undone by
// the join, and that subscribes in flight at once share one replay budget.
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/users";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import { REPLAY_ROWS_BURST } from "@/lib/bus/flood-guard";
import { busHarnessForFile, nextRevoked, record, subscribe, subscribeOk, until } from "../support/bus-harness";

type GateChannel = `gate:${number}`;

declare module "@/lib/bus/events" {
  interface ChannelTypes {
    gate: { channel: GateChannel; events: { said: { text: string } } };
  }
}

type Gate = { reached: number; open: () => void; opened: Promise<void> };

/** Who may read each gate channel, and the check the test is holding open, if any. */
const readers = new Set<number>();
let gate: Gate | undefined;

function holdChecks(): Gate {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  gate = { reached: 0, open, opened };
  return gate;
}

// Access is read when the check starts, as a query would, and answered when the gate opens.
const gateKind: ChannelKind<SessionUser> = {
  kind: "gate",
  id: /^[1-9]\d{0,15}$/,
  authorize: async (user) => {
    const allowed = readers.has(user.id);
    if (gate) {
      gate.reached += 1;
      await gate.opened;
    }
    return allowed;
  },
};

const h = busHarnessForFile({ kinds: [gateKind] });
/** lib/bus/store's (checked below): a top-level import of it would open the database early. */
const PAGE_ROWS = 500;
beforeAll(() => expect(h.lib.store.PAGE_ROWS).toBe(PAGE_ROWS));

async function say(channel: GateChannel, text: string): Promise<number> {
  const before = await h.lib.store.latestNotificationId();
  await h.lib.transact.transact(async ({ announce }) => announce(channel, "said", { text }));
  const after = await h.lib.store.latestNotificationId();
  expect(after).toBeGreaterThan(before);
  return after;
}

describe("subscribe while the store moves on", () => {
  it("puts what committed between the first read and the join in the ack, and nothing as a frame", async () => {
    const alice = await h.user("alice");
    readers.add(alice.id);
    const tab = await h.connect(alice);
    const frames = record(tab);
    const cursor = await h.lib.store.latestNotificationId();
    const before = await say("gate:1", "before the subscribe");
    const held = holdChecks();
    const answer = subscribeOk(tab, { channels: ["gate:1"], last: cursor });
    await until(() => held.reached === 1, "the check has started (the first page is read)");
    // Committed and emitted while the socket is not in the room yet: only the ack can bring it.
    const during = await say("gate:1", "during the subscribe");
    gate = undefined;
    held.open();
    const ack = await answer;
    expect(ack.notifications?.map((n) => [n.id, n.payload])).toEqual([
      [before, { text: "before the subscribe" }],
      [during, { text: "during the subscribe" }],
    ]);
    expect(ack.last).toBe(during);
    await h.sync(tab);
    expect(frames.notifications.filter((n) => n.channel === "gate:1")).toEqual([]);
  });

  it("answers a subscribe without a cursor with a `last` read after the join", async () => {
    const alice = await h.user("alice");
    readers.add(alice.id);
    const tab = await h.connect(alice);
    const held = holdChecks();
    const answer = subscribeOk(tab, { channels: ["gate:2"] });
    await until(() => held.reached === 1, "the check has started");
    const during = await say("gate:2", "missed live, so the ack must say it is behind");
    gate = undefined;
    held.open();
    // A `last` below it would tell the client its stream covers an id it never got.
    expect((await answer).last).toBeGreaterThanOrEqual(during);
  });

  it("does not let the join undo a revocation that came while access was being checked", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    readers.add(alice.id).add(bob.id);
    const [bobTab, aliceTab] = await Promise.all([h.connect(bob), h.connect(alice)]);
    await subscribeOk(aliceTab, { channels: ["gate:3"] });
    const held = holdChecks();
    const answer = subscribe(bobTab, { channels: ["gate:3"] });
    await until(() => held.reached === 1, "bob's check has read his access");
    const told = nextRevoked(bobTab);
    readers.delete(bob.id);
    h.lib.revoke.revokeUserFromChannel(bob.id, "gate:3", "removed");
    expect(await told).toEqual({ channel: "gate:3", reason: "removed" });
    gate = undefined;
    held.open();
    expect(await answer).toEqual({ granted: [], denied: ["gate:3"], last: expect.any(Number) });

    const bobSees = record(bobTab);
    await say("gate:3", "after bob was removed");
    await h.sync(bobTab, aliceTab);
    expect(bobSees.notifications.filter((n) => n.channel === "gate:3")).toEqual([]);
    expect(h.bus.io.sockets.adapter.rooms.get("gate:3")?.has(bobTab.id ?? "")).not.toBe(true);
  });

  it("does not let the join reopen a channel closed for good (its record deleted) while access was being checked", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    readers.add(alice.id).add(bob.id);
    const [bobTab, aliceTab] = await Promise.all([h.connect(bob), h.connect(alice)]);
    await subscribeOk(aliceTab, { channels: ["gate:5"] });
    const held = holdChecks();
    const answer = subscribe(bobTab, { channels: ["gate:5"] });
    await until(() => held.reached === 1, "bob's check has read his access");
    const aliceTold = nextRevoked(aliceTab);
    readers.delete(alice.id);
    readers.delete(bob.id);
    h.lib.revoke.revokeChannel("gate:5", "deleted", [alice.id, bob.id]);
    expect(await aliceTold).toEqual({ channel: "gate:5", reason: "deleted" });
    gate = undefined;
    held.open();
    expect(await answer).toEqual({ granted: [], denied: ["gate:5"], last: expect.any(Number) });
    const room = h.bus.io.sockets.adapter.rooms.get("gate:5");
    expect([room?.has(bobTab.id ?? "") ?? false, room?.has(aliceTab.id ?? "") ?? false]).toEqual([false, false]);
  });

  it("shares one replay budget between the subscribes of a socket that are in flight at once", async () => {
    const alice = await h.user("alice");
    readers.add(alice.id);
    const cursor = await h.lib.store.latestNotificationId();
    await h.lib.transact.transact(async ({ announce }) => {
      for (let index = 0; index < PAGE_ROWS; index += 1) announce("gate:4", "said", { text: `line ${index}` });
    });
    const tab = await h.connect(alice);
    const held = holdChecks();
    // 25: under the message burst, and the refused ones under the strikes that disconnect.
    const calls = 25;
    const answers = Array.from({ length: calls }, () => subscribe(tab, { channels: ["gate:4"], last: cursor }));
    await until(
      () => held.reached >= REPLAY_ROWS_BURST / PAGE_ROWS,
      "the subscribes within the budget are checking access",
    );
    gate = undefined;
    held.open();
    let rows = 0;
    for (const answer of await Promise.all(answers))
      if (!("error" in answer)) rows += answer.notifications?.length ?? 0;
    // Each one alone would have had a full page: 25 × PAGE_ROWS without the reservation.
    expect(rows).toBeLessThanOrEqual(REPLAY_ROWS_BURST + PAGE_ROWS);
    expect(rows).toBeGreaterThanOrEqual(PAGE_ROWS);
  });
});
