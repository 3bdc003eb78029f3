// The browser click queue: batching, optimistic count, retries with the same batchId while
// offline, confirmation by notification, and refusal. Timers are Vitest's fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BATCH_INTERVAL_MS, ClickQueue, type ClickBatch, type SendOutcome } from "@/lib/games/client/click-queue";
import { MAX_CLICKS_PER_BATCH } from "@/lib/games/schemas";

type Server = { total: number; seen: Set<string>; online: boolean; refuse: boolean; sent: ClickBatch[] };

/** A stand-in for the server action with its real contract: idempotent by batchId. */
function fakeServer(): [Server, (batch: ClickBatch) => Promise<SendOutcome>] {
  const server: Server = { total: 0, seen: new Set(), online: true, refuse: false, sent: [] };
  const send = async (batch: ClickBatch): Promise<SendOutcome> => {
    server.sent.push(batch);
    if (!server.online) throw new TypeError("fetch failed");
    if (server.refuse) return { ok: false, retry: false, message: "Game not found." };
    if (!server.seen.has(batch.batchId)) {
      server.seen.add(batch.batchId);
      server.total += batch.count;
    }
    return { ok: true, total: server.total };
  };
  return [server, send];
}

function makeQueue(send: (batch: ClickBatch) => Promise<SendOutcome>) {
  const seen = { pending: 0, confirmed: 0, refused: "" };
  const queue = new ClickQueue(send, {
    onPending: (value) => (seen.pending = value),
    onConfirmed: (value) => (seen.confirmed = value),
    onRefused: (message) => (seen.refused = message),
  });
  return { queue, seen };
}

describe("ClickQueue", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("counts clicks at once and sends them as one batch", async () => {
    const [server, send] = fakeServer();
    const { queue, seen } = makeQueue(send);
    for (let i = 0; i < 7; i += 1) queue.add();
    expect(seen.pending).toBe(7);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
    expect(server.sent).toHaveLength(1);
    expect(server.sent[0]?.count).toBe(7);
    expect(seen).toMatchObject({ pending: 0, confirmed: 7 });
  });

  it("caps a batch and sends the rest in the next one", async () => {
    const [server, send] = fakeServer();
    const { queue } = makeQueue(send);
    queue.add(MAX_CLICKS_PER_BATCH + 3);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS * 3);
    expect(server.sent.map((batch) => batch.count)).toEqual([MAX_CLICKS_PER_BATCH, 3]);
    expect(server.total).toBe(MAX_CLICKS_PER_BATCH + 3);
  });

  it("keeps clicks while offline and retries with the same batchId, counted once", async () => {
    const [server, send] = fakeServer();
    const { queue, seen } = makeQueue(send);
    server.online = false;
    queue.add(5);
    await vi.advanceTimersByTimeAsync(3000);
    expect(server.sent.length).toBeGreaterThan(1);
    expect(new Set(server.sent.map((batch) => batch.batchId)).size).toBe(1);
    queue.add(2);
    expect(seen.pending).toBe(7);
    server.online = true;
    queue.flushSoon();
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS * 3);
    expect(server.total).toBe(7);
    expect(seen.pending).toBe(0);
  });

  it("drops a batch when a notification confirmed it first", async () => {
    const [, send] = fakeServer();
    let sentBatch: ClickBatch | undefined;
    let answer: (() => void) | undefined;
    const slow = (batch: ClickBatch) =>
      new Promise<SendOutcome>((resolve) => {
        sentBatch = batch;
        answer = () => void send(batch).then(resolve);
      });
    const { queue, seen } = makeQueue(slow);
    queue.add(3);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
    expect(seen.pending).toBe(3);
    queue.confirm("someone-elses-batch");
    expect(seen.pending).toBe(3);
    queue.confirm(sentBatch?.batchId ?? "");
    expect(seen.pending).toBe(0);
    answer?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toMatchObject({ pending: 0, confirmed: 3 });
  });

  it("reports a refusal and forgets the refused clicks", async () => {
    const [server, send] = fakeServer();
    const { queue, seen } = makeQueue(send);
    server.refuse = true;
    queue.add(4);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
    expect(seen.refused).toBe("Game not found.");
    expect(seen.pending).toBe(0);
    expect(server.total).toBe(0);
  });
});
