// The access sweep (cluster mode's safety net for revocations a Redis outage kept from arriving)
// takes out exactly the sockets that lost access, checks each (user, channel) pair once, however
// many tabs the user has open, and lets the event loop turn between chunks of checks.
import { describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/users";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import { busHarnessForFile, nextRevoked, subscribe, subscribeOk } from "../support/bus-harness";

const readers = new Set<number>();
let checks = 0;
/** Checks since the event loop last turned (a setImmediate ticker resets it), and the most seen. */
let sinceTurn = 0;
let mostInOneTurn = 0;
const boardKind: ChannelKind<SessionUser> = {
  kind: "board",
  id: /^\d+$/,
  authorize: (user) => {
    checks += 1;
    sinceTurn += 1;
    mostInOneTurn = Math.max(mostInOneTurn, sinceTurn);
    return readers.has(user.id);
  },
};

const h = busHarnessForFile({ kinds: [boardKind] });

describe("sweepAccess", () => {
  it("removes every tab of a user who lost access, keeps the others, one check per user", async () => {
    const [alice, bob] = await Promise.all([h.user("alice"), h.user("bob")]);
    readers.add(alice.id).add(bob.id);
    const bobTabs = await Promise.all(Array.from({ length: 5 }, () => h.connect(bob)));
    const aliceTabs = await Promise.all(Array.from({ length: 3 }, () => h.connect(alice)));
    for (const tab of [...bobTabs, ...aliceTabs]) await subscribeOk(tab, { channels: ["board:1"] });

    // Access ends without a revocation being sent (as when it could not cross an outage).
    readers.delete(bob.id);
    const told = bobTabs.map((tab) => nextRevoked(tab));
    checks = 0;
    expect(await h.lib.accessSweep.sweepAccess(h.bus.io)).toBe(5);
    expect(checks).toBe(2);
    for (const message of await Promise.all(told)) expect(message).toEqual({ channel: "board:1", reason: "removed" });
    expect(await h.lib.accessSweep.sweepAccess(h.bus.io)).toBe(0);
    for (const tab of aliceTabs)
      expect(await subscribe(tab, { channels: ["board:1"] })).toMatchObject({ granted: ["board:1"] });
    for (const tab of bobTabs)
      expect(await subscribe(tab, { channels: ["board:1"] })).toMatchObject({ denied: ["board:1"] });
  });

  it("checks a big node's pairs in chunks, letting the event loop turn between them", async () => {
    const carol = await h.user("carol");
    const channels = Array.from({ length: 3 * h.lib.accessSweep.SWEEP_CHUNK }, (_, index) => `board:${1000 + index}`);
    readers.add(carol.id);
    // At most 100 channels a socket: carol's tabs share them out.
    for (let at = 0; at < channels.length; at += 100) {
      const tab = await h.connect(carol);
      await subscribeOk(tab, { channels: channels.slice(at, at + 100) });
    }
    let turning = true;
    const turn = () => {
      sinceTurn = 0;
      if (turning) setImmediate(turn);
    };
    setImmediate(turn);
    [sinceTurn, mostInOneTurn] = [0, 0];
    checks = 0;
    try {
      expect(await h.lib.accessSweep.sweepAccess(h.bus.io)).toBe(0);
    } finally {
      turning = false;
    }
    expect(checks).toBeGreaterThanOrEqual(channels.length);
    expect(mostInOneTurn).toBeGreaterThan(0);
    expect(mostInOneTurn).toBeLessThanOrEqual(h.lib.accessSweep.SWEEP_CHUNK);
  });
});
