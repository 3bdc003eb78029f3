// Presence messages (lib/bus/presence-plan.ts, folded by lib/bus/presence-state.ts): a small room
// gets whole lists, a big one the count and changes, a newcomer a snapshot; whatever the sequence
// of flushes, a socket that folds what it was sent knows the right count and the first names.
import { describe, expect, it } from "vitest";
import type { PresentUser } from "@/lib/bus/events";
import { FULL_LIST_MAX, planPresence, SNAPSHOT_NAMES_MAX, type Told } from "@/lib/bus/presence-plan";
import { applyPresence, byUsername, EMPTY_PRESENCE, type PresenceState } from "@/lib/bus/presence-state";

const user = (id: number): PresentUser => ({ id, username: `p${String(id).padStart(4, "0")}` });
const room = (ids: Iterable<number>) => [...ids].map(user).sort(byUsername);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("planPresence", () => {
  it("sends a small room its whole list when it changes, and only the newcomers when it does not", () => {
    const first = planPresence(room([1, 2]), undefined, { clustered: false, newcomers: true });
    expect(first.sends).toEqual([{ to: "room", payload: { count: 2, players: room([1, 2]) }, exceptNewcomers: false }]);
    const same = planPresence(room([1, 2]), first.told, { clustered: false, newcomers: true });
    expect(same.sends).toEqual([{ to: "newcomers", payload: { count: 2, players: room([1, 2]) } }]);
    expect(planPresence(room([1, 2]), first.told, { clustered: false, newcomers: false }).sends).toEqual([]);
    const changed = planPresence(room([1]), first.told, { clustered: false, newcomers: false });
    expect(changed.sends).toEqual([{ to: "room", payload: { count: 1, players: room([1]) }, exceptNewcomers: false }]);
  });

  it("sends a big room the count and the changes, a newcomer a bounded snapshot, and converges", () => {
    const big = range(1, 2001);
    let told: Told | undefined = planPresence(room(big), undefined, { clustered: false, newcomers: false }).told;
    // An old hand's view after the first snapshot (the first SNAPSHOT_NAMES_MAX names, and the count).
    let oldHand: PresenceState = applyPresence(EMPTY_PRESENCE, {
      count: 2000,
      players: room(big).slice(0, SNAPSHOT_NAMES_MAX),
    });
    let newcomer: PresenceState = EMPTY_PRESENCE;

    // Some leave (among the first names too), some join (one sorts first), and a newcomer arrives.
    const now = [0, ...big.filter((id) => id % 7 !== 0), 5000];
    const plan = planPresence(room(now), told, { clustered: false, newcomers: true });
    told = plan.told;
    const toRoom = plan.sends.find((send) => send.to === "room");
    const toNewcomers = plan.sends.find((send) => send.to === "newcomers");
    expect(toRoom).toMatchObject({ exceptNewcomers: true, payload: { count: now.length, joined: room([0, 5000]) } });
    expect(toRoom?.payload.players).toBeUndefined();
    expect(toRoom?.payload.left).toHaveLength(big.length - now.length + 2);
    expect(toNewcomers?.payload.players).toHaveLength(SNAPSHOT_NAMES_MAX);
    oldHand = applyPresence(oldHand, toRoom!.payload);
    newcomer = applyPresence(newcomer, toNewcomers!.payload);

    for (const view of [oldHand, newcomer]) {
      expect(view.count).toBe(now.length);
      expect(view.players.slice(0, 50)).toEqual(room(now).slice(0, 50));
    }
    // The room shrinking to a small one gets whole lists again: every view is exact.
    const small = range(1, FULL_LIST_MAX);
    const shrink = planPresence(room(small), told, { clustered: false, newcomers: false });
    expect(shrink.sends).toEqual([
      { to: "room", payload: { count: small.length, players: room(small) }, exceptNewcomers: false },
    ]);
  });

  it("sends only snapshots when clustered (another node's messages may interleave), bounded", () => {
    const plan = planPresence(room(range(1, 501)), undefined, { clustered: true, newcomers: true });
    expect(plan.told).toBeUndefined();
    expect(plan.sends).toEqual([
      {
        to: "room",
        payload: { count: 500, players: room(range(1, 501)).slice(0, SNAPSHOT_NAMES_MAX) },
        exceptNewcomers: false,
      },
    ]);
  });
});
