// Messages on the tab ↔ SharedWorker port are outside data: only well-formed ones are accepted.
import { expect, it } from "vitest";
import { tabMessageSchema, workerMessageSchema } from "@/lib/bus/client/port-messages";

it("accepts the tab's messages and refuses malformed ones", () => {
  expect(
    tabMessageSchema.safeParse({ type: "listen", key: 0, channel: "game:1", since: 4, presence: true }).success,
  ).toBe(true);
  for (const bad of [
    null,
    "listen",
    { type: "listen", key: -1, channel: "game:1", presence: true },
    { type: "listen", key: 0, channel: "x".repeat(101), presence: true },
    { type: "listen", key: 0, channel: "game:1", since: 1.5, presence: true },
    { type: "unlisten" },
    { type: "subscribe", channels: ["game:1"] },
  ]) {
    expect(tabMessageSchema.safeParse(bad).success).toBe(false);
  }
});

it("accepts the worker's messages and refuses malformed ones", () => {
  const notification = { id: 3, channel: "game:1", event: "clicks", payload: {}, at: "2026-01-01T00:00:00.000Z" };
  expect(workerMessageSchema.safeParse({ type: "notification", key: 1, notification }).success).toBe(true);
  expect(workerMessageSchema.safeParse({ type: "state", key: 1, state: "revoked", reason: "removed" }).success).toBe(
    true,
  );
  for (const bad of [
    { type: "notification", key: 1, notification: { ...notification, id: "3" } },
    { type: "state", key: 1, state: "gone" },
    { type: "status", status: "online" },
    { type: "session_ended", reason: "bored" },
  ]) {
    expect(workerMessageSchema.safeParse(bad).success).toBe(false);
  }
});
