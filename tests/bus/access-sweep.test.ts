// The access sweep (cluster mode's safety net for revocations a Redis outage kept from arriving)
// takes out exactly the sockets that lost access, and checks each (user, channel) pair once,
// however many tabs the user has open.
import { describe, expect, it } from "vitest";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import { busHarnessForFile, nextRevoked, subscribe, subscribeOk } from "../support/bus-harness";

const readers = new Set<number>();
let checks = 0;
const boardKind: ChannelKind = {
  kind: "board",
  id: /^\d+$/,
  authorize: (user) => {
    checks += 1;
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
    for (const tab of aliceTabs) expect(await subscribe(tab, { channels: ["board:1"] })).toMatchObject({ granted: ["board:1"] });
    for (const tab of bobTabs) expect(await subscribe(tab, { channels: ["board:1"] })).toMatchObject({ denied: ["board:1"] });
  });
});
