// The game page's reducer (lib/games/client/game-state.ts) on the conflated tally and on
// presence counts with changes: absolute counts win by size, so replays and reordering are safe.
import { describe, expect, it } from "vitest";
import type { NotificationOf, PresencePayload } from "@/lib/bus/events";
import { gameChannel, type GameChannel, type TallyPayload } from "@/lib/games/channels";
import { gameReducer, initialGameState } from "@/lib/games/client/game-state";
import type { MemberView } from "@/lib/games/games";

const channel = gameChannel(1);
const ada: MemberView = { id: 1, username: "ada", role: "owner", clicks: 5 };
const bob: MemberView = { id: 2, username: "bob", role: "player", clicks: 3 };
const start = () => initialGameState({ name: "Room", total: 8, members: [ada, bob] }, undefined);

let nextId = 1;
const tally = (payload: TallyPayload): NotificationOf<GameChannel> => ({
  id: nextId++,
  channel,
  event: "tally",
  payload,
  at: "",
});
const presence = (payload: PresencePayload): NotificationOf<GameChannel> => ({
  id: null,
  channel,
  event: "presence",
  payload,
  at: "",
});

describe("gameReducer", () => {
  it("applies a tally's total and each listed player's whole count, re-ranked; older counts change nothing", () => {
    const notifications = [
      tally({ total: 20, contributions: [{ id: 2, username: "bob", clicks: 15 }] }),
      tally({
        total: 12,
        contributions: [
          { id: 2, username: "bob", clicks: 7 },
          { id: 99, username: "gone", clicks: 1 },
        ],
      }), // older, out of order
    ];
    const state = gameReducer(start(), { type: "notifications", notifications });
    expect(state.total).toBe(20);
    expect(state.members.map((member) => [member.username, member.clicks])).toEqual([
      ["bob", 15],
      ["ada", 5],
    ]);
    // The same tally again (a replay) is a no-op.
    expect(gameReducer(state, { type: "notification", notification: notifications[0]! })).toEqual(state);
  });

  it("keeps presence as a count with the names it was told, through snapshots and changes", () => {
    let state = gameReducer(start(), {
      type: "notification",
      notification: presence({
        count: 120,
        players: [
          { id: 1, username: "ada" },
          { id: 2, username: "bob" },
        ],
      }),
    });
    state = gameReducer(state, {
      type: "notification",
      notification: presence({ count: 120, joined: [{ id: 3, username: "abe" }], left: [2] }),
    });
    expect(state.presence).toEqual({
      count: 120,
      players: [
        { id: 3, username: "abe" },
        { id: 1, username: "ada" },
      ],
    });
    state = gameReducer(state, {
      type: "notification",
      notification: presence({ count: 1, players: [{ id: 1, username: "ada" }] }),
    });
    expect(state.presence).toEqual({ count: 1, players: [{ id: 1, username: "ada" }] });
  });
});
