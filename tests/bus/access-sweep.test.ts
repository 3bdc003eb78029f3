// The access sweep (cluster mode's safety net for revocations a Redis outage kept from arriving)
// takes out exactly the sockets that lost access, checks each (user, channel) pair once, however
// many tabs the user has open, and lets the event loop turn between slices of at most 20 ms, in
// its listing of the node's rooms as in its checks (issue #22 §5).
import { describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/users";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import { busHarnessForFile, nextRevoked, subscribe, subscribeOk, type TestUser } from "../support/bus-harness";

const readers = new Set<number>();
let checks = 0;
/** Checks since the event loop last turned (the ticker in countingTurns resets it), and the most seen. */
let sinceTurn = 0;
let mostInOneTurn = 0;
/** The same for checks of `slow` channels alone. */
let slowSinceTurn = 0;
let mostSlowInOneTurn = 0;
let turns = 0;
let turnsAtFirstCheck: number | undefined;

function check(user: SessionUser): boolean {
  checks += 1;
  sinceTurn += 1;
  mostInOneTurn = Math.max(mostInOneTurn, sinceTurn);
  turnsAtFirstCheck ??= turns;
  return readers.has(user.id);
}

/** What one check of a `slow` channel costs: the event loop held, as by a slow synchronous query. */
const SLOW_CHECK_MS = 2;
const boardKind: ChannelKind<SessionUser> = { kind: "board", id: /^\d+$/, authorize: check };
const slowKind: ChannelKind<SessionUser> = {
  kind: "slow",
  id: /^\d+$/,
  authorize: (user) => {
    const until = performance.now() + SLOW_CHECK_MS;
    while (performance.now() < until);
    slowSinceTurn += 1;
    mostSlowInOneTurn = Math.max(mostSlowInOneTurn, slowSinceTurn);
    return check(user);
  },
};

const h = busHarnessForFile({ kinds: [boardKind, slowKind] });

/** Runs `work` while a setImmediate ticker counts the event loop's turns (and resets the counts). */
async function countingTurns<T>(work: () => Promise<T>): Promise<T> {
  let turning = true;
  const turn = () => {
    [sinceTurn, slowSinceTurn] = [0, 0];
    turns += 1;
    if (turning) setImmediate(turn);
  };
  [sinceTurn, mostInOneTurn, slowSinceTurn, mostSlowInOneTurn] = [0, 0, 0, 0];
  [turns, checks, turnsAtFirstCheck] = [0, 0, undefined];
  setImmediate(turn);
  try {
    return await work();
  } finally {
    turning = false;
  }
}

/** Opens tabs of `user` that together subscribe to every one of `channels` (at most 100 a socket). */
async function subscribeAcrossTabs(user: TestUser, channels: string[]): Promise<void> {
  for (let at = 0; at < channels.length; at += 100) {
    const tab = await h.connect(user);
    await subscribeOk(tab, { channels: channels.slice(at, at + 100) });
  }
}

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
    expect(await h.lib.accessSweep.sweepAccess(h.bus.io)).toMatchObject({ removed: 5 });
    expect(checks).toBe(2);
    for (const message of await Promise.all(told)) expect(message).toEqual({ channel: "board:1", reason: "removed" });
    expect(await h.lib.accessSweep.sweepAccess(h.bus.io)).toMatchObject({ removed: 0 });
    for (const tab of aliceTabs)
      expect(await subscribe(tab, { channels: ["board:1"] })).toMatchObject({ granted: ["board:1"] });
    for (const tab of bobTabs)
      expect(await subscribe(tab, { channels: ["board:1"] })).toMatchObject({ denied: ["board:1"] });
  });

  it("lists a big node's rooms in slices, and starts at most a chunk of checks at once", async () => {
    const carol = await h.user("carol");
    readers.add(carol.id);
    const channels = Array.from({ length: 3 * h.lib.accessSweep.SWEEP_CHUNK }, (_, index) => `board:${1000 + index}`);
    await subscribeAcrossTabs(carol, channels);

    // A slice of 0 ms: the listing yields at every look at the clock, as a node of 20,000 sockets
    // does when listing alone takes longer than a slice.
    const report = await countingTurns(() => h.lib.accessSweep.sweepAccess(h.bus.io, 0));
    expect(report.removed).toBe(0);
    expect(checks).toBeGreaterThanOrEqual(channels.length);
    expect(turnsAtFirstCheck).toBeGreaterThanOrEqual(Math.floor(channels.length / 32) - 1);
    expect(mostInOneTurn).toBeGreaterThan(0);
    expect(mostInOneTurn).toBeLessThanOrEqual(h.lib.accessSweep.SWEEP_CHUNK);
  });

  it("holds the event loop for about one slice at most however slow the checks are", async () => {
    const dave = await h.user("dave");
    readers.add(dave.id);
    const channels = Array.from({ length: 150 }, (_, index) => `slow:${index + 1}`);
    await subscribeAcrossTabs(dave, channels);

    const report = await countingTurns(() => h.lib.accessSweep.sweepAccess(h.bus.io));
    expect(report).toMatchObject({ removed: 0 });
    expect(checks).toBeGreaterThanOrEqual(channels.length);
    // Each check holds the loop SLOW_CHECK_MS at least, so the checks run in one turn held it at
    // least this long: the bound (without slices, all 150 ran in one turn: 300 ms).
    const { SWEEP_BOUND_MS } = h.lib.accessSweep;
    expect(mostSlowInOneTurn * SLOW_CHECK_MS).toBeLessThanOrEqual(SWEEP_BOUND_MS);
    expect(report.busyMs).toBeGreaterThanOrEqual(channels.length * SLOW_CHECK_MS);
    expect(report.longestSliceMs).toBeLessThan(report.busyMs);
  });
});
