// Type-level tests of the event map (lib/bus/events.ts): a wrong event or payload for a channel
// is a compile error. `tsc --noEmit` fails if any @ts-expect-error below stops being an error.
import { describe, expect, expectTypeOf, it } from "vitest";
import { gameChannel } from "@/lib/games/channels";
import { userChannel } from "@/lib/realtime/user-channel";
import type { EventsOf, NotificationOf } from "@/lib/bus/events";
import type { Announce } from "@/lib/bus/transact";

const by = { id: 1, username: "alice" };

/** Never called: it exists so the compiler checks each announcement against the map. */
function announcements(announce: Announce): void {
  announce(gameChannel(1), "tally", { total: 5, contributions: [{ ...by, clicks: 5 }] });
  // @ts-expect-error a tally's contributions carry each player's whole count
  announce(gameChannel(1), "tally", { total: 5, contributions: [by] });
  announce(gameChannel(1), "renamed", { name: "New name" });
  announce(userChannel(1), "game_removed", { gameId: 1, reason: "deleted" });
  announce("lobby", "stats", { games: 1, playersOnline: 2, clicksPerSecond: 0.5 });
  // @ts-expect-error an event the game kind does not carry
  announce(gameChannel(1), "click", { total: 5 });
  // @ts-expect-error a payload typo
  announce(gameChannel(1), "renamed", { nmae: "typo" });
  // @ts-expect-error a missing payload field
  announce(gameChannel(1), "milestone", { value: 100 });
  // @ts-expect-error a user-channel event on a game channel
  announce(gameChannel(1), "game_removed", { gameId: 1, reason: "deleted" });
  // @ts-expect-error a reason outside the union
  announce(userChannel(1), "game_removed", { gameId: 1, reason: "kicked" });
  // @ts-expect-error a channel name outside the typed kinds
  announce("admin:1", "renamed", { name: "x" });
}

/** Narrowing on `event` gives the matching payload type. */
function totalOf(notification: NotificationOf<`game:${number}`>): number | null {
  return notification.event === "tally" ? notification.payload.total : null;
}

describe("event map", () => {
  it("types each channel kind's events and narrows notifications by event", () => {
    expectTypeOf<EventsOf<`game:${number}`>["renamed"]>().toEqualTypeOf<{ name: string }>();
    expectTypeOf<keyof EventsOf<"lobby">>().toEqualTypeOf<"stats">();
    expectTypeOf(announcements).parameter(0).toEqualTypeOf<Announce>();
    const tally = {
      id: 1,
      channel: gameChannel(3),
      event: "tally" as const,
      payload: { total: 9, contributions: [{ ...by, clicks: 1 }] },
      at: "",
    };
    expect(totalOf(tally)).toBe(9);
    expect(totalOf({ id: null, channel: gameChannel(3), event: "presence", payload: { count: 0 }, at: "" })).toBeNull();
  });
});
