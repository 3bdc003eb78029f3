// ChannelCursor, the one home of "what does this follower already have": ids at or below its
// render are dropped, duplicates are dropped, and the resume point moves only with settled ids.
import { expect, it } from "vitest";
import { ChannelCursor, SETTLE_MS } from "@/lib/bus/client/channel-cursor";

it("drops ids its render already includes and ids it has seen", () => {
  const cursor = new ChannelCursor(10);
  expect([9, 10, 11, 11, 12].map((id) => cursor.accept(id))).toEqual([false, false, true, false, true]);
});

it("always lets volatile notifications through", () => {
  const cursor = new ChannelCursor(10);
  expect([cursor.accept(null), cursor.accept(null)]).toEqual([true, true]);
});

it("resumes from its render until received ids have settled, then from the highest", () => {
  const clock = { now: 0 };
  const cursor = new ChannelCursor(10, () => clock.now);
  cursor.accept(12);
  cursor.accept(11);
  expect(cursor.resume()).toBe(10);
  clock.now += SETTLE_MS;
  expect(cursor.resume()).toBe(12);
});

it("moves to what the server vouches for, never backwards", () => {
  const cursor = new ChannelCursor(undefined);
  expect(cursor.resume()).toBeUndefined();
  cursor.advanceTo(30);
  cursor.advanceTo(20);
  expect(cursor.resume()).toBe(30);
});

it("settles only while connected: ids younger than SETTLE_MS at a disconnect are replayed, however long the reconnect takes", () => {
  const clock = { now: 0 };
  const cursor = new ChannelCursor(10, () => clock.now);
  cursor.accept(11);
  clock.now += SETTLE_MS;
  // 13 came from this node while 12 was still in flight from another; then the link dropped.
  cursor.accept(13);
  cursor.disconnected();
  clock.now += 10 * SETTLE_MS;
  expect(cursor.resume()).toBe(11);
  // The replay brings 12 and 13 again: 12 is new, 13 is dropped as seen.
  expect([cursor.accept(12), cursor.accept(13)]).toEqual([true, false]);
});
