// Integration: live revocation. Removing a member, deleting a game and signing out everywhere
// take effect at once on every socket of the user, are announced with `revoked`, and a later
// subscribe is denied.
import { describe, expect, it } from "vitest";
import {
  afterRevocation,
  nextDisconnect,
  nextNotification,
  nextRevoked,
  record,
  busHarnessForFile,
  subscribe,
  subscribeOk,
} from "../support/bus-harness";

const h = busHarnessForFile();

describe("removing a member", () => {
  it("stops delivery at once and sends `revoked` to every socket of the removed user", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    const gameId = await h.gameWith(alice, bob);
    const channel = `game:${gameId}`;
    const aliceTab = await h.connect(alice);
    const bobTabs = await Promise.all([h.connect(bob), h.connect(bob, { via: "cookie" })]);
    const bobLobbyTab = await h.connect(bob); // holds only its user channel
    await subscribeOk(aliceTab, { channels: [channel] });
    for (const tab of bobTabs) await subscribeOk(tab, { channels: [channel] });

    const bobSeen = [...bobTabs, bobLobbyTab].map(record);
    const revocations = [...bobTabs, bobLobbyTab].map((socket) => nextRevoked(socket));
    const aliceSees = nextNotification(aliceTab, (n) => n.event === "member_left");
    await h.lib.members.removeMember(alice, gameId, bob.id);

    for (const revoked of await Promise.all(revocations)) expect(revoked).toEqual({ channel, reason: "removed" });
    expect((await aliceSees).payload).toEqual({ member: { id: bob.id, username: bob.username }, reason: "removed" });

    const aliceClick = nextNotification(aliceTab, (n) => n.event === "tally");
    await h.click(alice, gameId);
    await aliceClick;
    await h.sync(...bobTabs, bobLobbyTab);
    for (const seen of bobSeen) {
      // Nothing of the game after the revocation (not even presence); the user channel says it is gone.
      const after = afterRevocation(seen, channel).filter((n) => !h.isMarker(n));
      expect(after.map((n) => [n.channel, n.event, n.payload])).toEqual([
        [`user:${bob.id}`, "game_removed", { gameId, reason: "removed" }],
      ]);
      // Before it, at most presence: no stored notification of the removal reached the game channel.
      expect(seen.notifications.filter((n) => n.channel === channel && n.id !== null)).toEqual([]);
    }

    // Re-subscribing is denied, exactly as for a game that never existed.
    expect(await subscribe(bobTabs[0], { channels: [channel] })).toEqual({
      granted: [],
      denied: [channel],
      last: expect.any(Number),
    });
  });

  it("revokes a member who leaves with reason `left`", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    const gameId = await h.gameWith(alice, bob);
    const bobTab = await h.connect(bob);
    await subscribeOk(bobTab, { channels: [`game:${gameId}`] });
    const revoked = nextRevoked(bobTab);
    await h.lib.members.removeMember(bob, gameId, bob.id);
    expect(await revoked).toEqual({ channel: `game:${gameId}`, reason: "left" });
  });

  it("leaves the user's other games alone", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    const [kept, lost] = [await h.gameWith(alice, bob), await h.gameWith(alice, bob)];
    const bobTab = await h.connect(bob);
    await subscribeOk(bobTab, { channels: [`game:${kept}`, `game:${lost}`] });
    const revoked = nextRevoked(bobTab);
    await h.lib.members.removeMember(alice, lost, bob.id);
    await revoked;
    const arrives = nextNotification(bobTab, (n) => n.channel === `game:${kept}` && n.event === "tally");
    await h.click(alice, kept);
    await arrives;
  });
});

describe("deleting a game", () => {
  it("sends `deleted` then `revoked` to every member's sockets and takes them out of the channel", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    const gameId = await h.gameWith(alice, bob);
    const channel = `game:${gameId}` as const;
    const tabs = await Promise.all([h.connect(alice), h.connect(alice), h.connect(bob)]);
    for (const tab of tabs) await subscribeOk(tab, { channels: [channel] });
    const seen = tabs.map(record);
    const revocations = tabs.map((socket) => nextRevoked(socket));

    await h.lib.games.deleteGame(alice, gameId);
    for (const revoked of await Promise.all(revocations)) expect(revoked).toEqual({ channel, reason: "deleted" });
    await h.sync(...tabs);
    for (const tab of seen) {
      expect(tab.notifications.filter((n) => n.channel === channel && n.id !== null).map((n) => n.event)).toEqual([
        "deleted",
      ]);
      expect(
        tab.notifications.some(
          (n) => n.event === "game_removed" && (n.payload as { gameId: number }).gameId === gameId,
        ),
      ).toBe(true);
      expect(afterRevocation(tab, channel).filter((n) => n.channel === channel)).toEqual([]);
    }

    // Nobody is left in the room: even a raw announcement on the channel reaches no one.
    const after = tabs.map(record);
    await h.lib.transact.transact(async ({ announce }) => announce(channel, "renamed", { name: "ghost" }));
    await h.sync(...tabs);
    for (const tab of after) expect(tab.notifications.filter((n) => !h.isMarker(n))).toEqual([]);
    for (const tab of tabs)
      expect(await subscribe(tab, { channels: [channel] })).toEqual({
        granted: [],
        denied: [channel],
        last: expect.any(Number),
      });
  });
});

describe("signing out everywhere", () => {
  it("tells and disconnects every socket of the user, and their session cookie stops working", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    const gameId = await h.gameWith(alice, bob);
    const aliceTabs = await Promise.all([
      h.connect(alice, { via: "cookie" }),
      h.connect(alice, { via: "cookie" }),
      h.connect(alice),
    ]);
    const bobTab = await h.connect(bob);
    for (const tab of [...aliceTabs, bobTab]) await subscribeOk(tab, { channels: [`game:${gameId}`] });

    const told = aliceTabs.map((tab) => nextNotification(tab, (n) => n.event === "session_revoked"));
    const revoked = aliceTabs.map((socket) => nextRevoked(socket));
    const gone = aliceTabs.map(nextDisconnect);
    await h.lib.signOut.signOutEverywhere(alice.id);

    for (const notification of await Promise.all(told))
      expect(notification).toMatchObject({ channel: `user:${alice.id}`, payload: {} });
    for (const message of await Promise.all(revoked))
      expect(message).toEqual({ channel: `user:${alice.id}`, reason: "signed_out" });
    for (const reason of await Promise.all(gone)) expect(reason).toBe("io server disconnect");
    expect(aliceTabs.every((tab) => !tab.connected)).toBe(true);

    // Bob is untouched.
    expect(bobTab.connected).toBe(true);
    const bobSees = nextNotification(bobTab, (n) => n.event === "tally");
    await h.click(bob, gameId);
    await bobSees;

    // The old session cookie (epoch 0) is refused; one of the new epoch is accepted.
    expect(await h.refusedConnection({ cookie: await h.sessionCookie(alice, 0) })).toBe("unauthorized");
    const fresh = await h.connect(alice, { via: "cookie", epoch: 1 });
    expect(fresh.connected).toBe(true);
  });
});
