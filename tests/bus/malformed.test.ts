// Integration: hostile and broken clients. Every malformed subscribe/unsubscribe gets an error
// ack (never a crash or a hang), sockets that keep sending garbage or flood are disconnected,
// frames over the cap (just above the 16 KiB message limit) close the connection, and the server
// keeps serving everyone else.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { ErrorAck } from "@/lib/bus/events";
import { MAX_FRAME_BYTES, MAX_MESSAGE_BYTES } from "@/lib/bus/protocol";
import {
  nextDisconnect,
  nextNotification,
  busHarnessForFile,
  subscribe,
  subscribeOk,
  unsubscribe,
  WAIT_MS,
  type BusClient,
  type RawClient,
  type TestUser,
} from "../support/bus-harness";

const h = busHarnessForFile();
let alice: TestUser;
let gameId: number;

beforeAll(async () => {
  alice = await h.user("alice");
  gameId = (await h.lib.games.createGame(alice, { name: "Target" })).id;
});

const raw = (socket: BusClient) => socket as unknown as RawClient;

/** Emits `args` on a raw socket with an ack callback last, resolving with what comes back. */
function emitRaw(socket: BusClient, event: string, ...args: unknown[]): Promise<unknown> {
  return raw(socket)
    .timeout(WAIT_MS)
    .emitWithAck(event, ...args);
}

/** The server is alive and correct: a fresh socket subscribes and receives a change. */
async function expectServerServes(): Promise<void> {
  const tab = await h.connect(alice);
  expect((await subscribeOk(tab, { channels: [`game:${gameId}`] })).granted).toEqual([`game:${gameId}`]);
  const arrives = nextNotification(tab, (n) => n.event === "tally");
  await h.lib.clicks.addClicks(alice, { gameId, count: 1, batchId: randomUUID() });
  await arrives;
  tab.disconnect();
}

const withProto = JSON.parse(`{"__proto__":{"granted":["game:${1}"]},"channels":["lobby"]}`) as unknown;

describe("malformed subscribe payloads", () => {
  it.each<[string, unknown, ErrorAck["error"]]>([
    ["a number", 42, "invalid_payload"],
    ["null", null, "invalid_payload"],
    ["a string", "game:1", "invalid_payload"],
    ["an array", [`game:1`], "invalid_payload"],
    ["channels that are not an array", { channels: "lobby" }, "invalid_payload"],
    ["numbers in channels", { channels: [1, 2] }, "invalid_channel"],
    ["objects in channels", { channels: [{ name: "lobby" }] }, "invalid_channel"],
    ["binary data in channels", { channels: [Buffer.from("lobby")] }, "invalid_channel"],
    ["101 channels", { channels: Array.from({ length: 101 }, (_, index) => `game:${index + 1}`) }, "too_many_channels"],
    [
      `just over ${MAX_MESSAGE_BYTES} bytes`,
      { channels: ["lobby"], last: 0, padding: "x".repeat(MAX_MESSAGE_BYTES) },
      "too_large",
    ],
    ["a __proto__ key", withProto, "invalid_payload"],
    ["extra keys", { channels: ["lobby"], admin: true }, "invalid_payload"],
    ["a bad channel name", { channels: ["lobby", "Game:1"] }, "invalid_channel"],
    ["a channel name over 100 characters", { channels: [`game:${"1".repeat(96)}`] }, "invalid_channel"],
    ["a negative last", { channels: ["lobby"], last: -1 }, "invalid_payload"],
    ["a float last", { channels: ["lobby"], last: 2.5 }, "invalid_payload"],
    ["a string last", { channels: ["lobby"], last: "0" }, "invalid_payload"],
  ])("answers %s with an error ack, and the server still serves", async (_, payload, error) => {
    const tab = await h.connect(alice);
    expect(await subscribe(tab, payload)).toEqual({ error });
    // The same socket was not subscribed by the refused message and still works.
    expect(await subscribe(tab, { channels: ["lobby"] })).toMatchObject({ granted: ["lobby"] });
    tab.disconnect();
    await expectServerServes();
  });

  it("answers a subscribe without a payload with an error ack", async () => {
    const tab = await h.connect(alice);
    expect(await emitRaw(tab, "subscribe")).toEqual({ error: "invalid_payload" });
    await expectServerServes();
  });

  it("answers a subscribe with extra arguments with an error ack instead of crashing", async () => {
    const tab = await h.connect(alice);
    expect(await emitRaw(tab, "subscribe", { channels: ["lobby"] }, "surplus")).toEqual({ error: "invalid_payload" });
    expect(await emitRaw(tab, "unsubscribe", { channels: ["lobby"] }, 7)).toEqual({ error: "invalid_payload" });
    await expectServerServes();
  });

  it("answers malformed unsubscribe payloads and unknown events with error acks", async () => {
    const tab = await h.connect(alice);
    expect(await unsubscribe(tab, null)).toEqual({ error: "invalid_payload" });
    expect(await unsubscribe(tab, { channels: [3] })).toEqual({ error: "invalid_channel" });
    expect(await unsubscribe(tab, { channels: [], last: 1 })).toEqual({ error: "invalid_payload" });
    expect(await emitRaw(tab, "publish", { channel: `game:${gameId}`, event: "clicks" })).toEqual({
      error: "invalid_payload",
    });
    expect(await emitRaw(tab, "notification", { id: 1 })).toEqual({ error: "invalid_payload" });
    await expectServerServes();
  });

  it("survives messages without an ack callback, which change nothing", async () => {
    const tab = await h.connect(alice);
    raw(tab).emit("subscribe", { channels: [`game:${gameId}`] });
    raw(tab).emit("subscribe", "garbage");
    raw(tab).emit("unsubscribe", { channels: [`user:${alice.id}`] });
    raw(tab).emit("anything");
    // The ack-less subscribe was refused: the socket is not in the game channel.
    const seen: string[] = [];
    tab.on("notification", (n) => seen.push(n.event));
    await h.lib.clicks.addClicks(alice, { gameId, count: 1, batchId: randomUUID() });
    await h.sync(tab);
    expect(seen.filter((event) => event === "tally")).toEqual([]);
    expect(await subscribe(tab, { channels: [`game:${gameId}`] })).toMatchObject({ granted: [`game:${gameId}`] });
    await expectServerServes();
  });
});

describe("abusive sockets", () => {
  it("disconnects a socket that keeps sending garbage", async () => {
    const tab = await h.connect(alice);
    const gone = nextDisconnect(tab);
    const answers: unknown[] = [];
    for (let index = 0; index < 25; index += 1)
      raw(tab).emit("subscribe", { junk: index }, (answer: unknown) => answers.push(answer));
    expect(await gone).toBe("io server disconnect");
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((answer) => JSON.stringify(answer) === JSON.stringify({ error: "invalid_payload" }))).toBe(
      true,
    );
    await expectServerServes();
  });

  it("disconnects a socket that floods well-formed messages", async () => {
    const tab = await h.connect(alice);
    const gone = nextDisconnect(tab);
    const answers: unknown[] = [];
    for (let index = 0; index < 200; index += 1)
      raw(tab).emit("unsubscribe", { channels: [] }, (answer: unknown) => answers.push(answer));
    expect(await gone).toBe("io server disconnect");
    // Refusals are answered at once; accepted messages still queued when the socket is cut are dropped.
    expect(answers).toContainEqual({ error: "rate_limited" });
    expect(answers.length).toBeLessThan(200);
    await expectServerServes();
  });

  it("lets a socket that sends a few bad messages now and then stay connected", async () => {
    const tab = await h.connect(alice);
    for (let index = 0; index < 5; index += 1)
      expect(await subscribe(tab, { bad: index })).toEqual({ error: "invalid_payload" });
    expect(await subscribe(tab, { channels: ["lobby"] })).toMatchObject({ granted: ["lobby"] });
    expect(tab.connected).toBe(true);
  });

  it.each<[string, unknown]>([
    ["10 000 channels", { channels: Array.from({ length: 10_000 }, (_, index) => `game:${index + 1}`) }],
    ["a 1 MB string", "x".repeat(1_000_000)],
    ["a 1 MB channel name", { channels: ["x".repeat(1_000_000)] }],
    ["a frame just over the cap", { channels: ["lobby"], padding: "x".repeat(MAX_FRAME_BYTES) }],
  ])("closes the connection on a frame over the cap (%s), before decoding it", async (_, payload) => {
    const tab = await h.connect(alice);
    const gone = nextDisconnect(tab);
    raw(tab).emit("subscribe", payload, () => undefined);
    expect(await gone).toBe("transport close");
    await expectServerServes();
  });
});
