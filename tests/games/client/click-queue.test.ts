// The browser click queue: batching, optimistic count, one batch in flight, the server's pace
// between batches, retries with the same batchId while offline, and refusal. Timers (and
// Date.now) are Vitest's fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BATCH_INTERVAL_MS, ClickQueue, type ClickBatch, type SendOutcome } from "@/lib/games/client/click-queue";
import { IDLE_AFTER_MS, roomStartWindowMs } from "@/lib/games/client/room-start";
import { MAX_PACE_MS, STARTING_BATCHES_PER_SECOND } from "@/lib/games/client/click-pace-limits";
import { MAX_CLICKS_PER_BATCH } from "@/lib/games/schemas";

type Server = {
  total: number;
  seen: Set<string>;
  online: boolean;
  refuse: boolean;
  paceMs: number;
  sent: ClickBatch[];
};

/** A stand-in for the server action with its real contract: idempotent by batchId. */
function fakeServer(): [Server, (batch: ClickBatch) => Promise<SendOutcome>] {
  const server: Server = {
    total: 0,
    seen: new Set(),
    online: true,
    refuse: false,
    paceMs: BATCH_INTERVAL_MS,
    sent: [],
  };
  const send = async (batch: ClickBatch): Promise<SendOutcome> => {
    server.sent.push(batch);
    if (!server.online) throw new TypeError("fetch failed");
    if (server.refuse) return { ok: false, retry: false, message: "Game not found." };
    if (!server.seen.has(batch.batchId)) {
      server.seen.add(batch.batchId);
      server.total += batch.count;
    }
    return { ok: true, total: server.total, paceMs: server.paceMs };
  };
  return [server, send];
}

function makeQueue(send: (batch: ClickBatch) => Promise<SendOutcome>, roomStartWindowMs?: () => number) {
  const seen = { pending: 0, confirmed: 0, paceMs: 0, refused: "" };
  const events = {
    onPending: (value: number) => (seen.pending = value),
    onConfirmed: (value: number) => (seen.confirmed = value),
    onPace: (value: number) => (seen.paceMs = value),
    onRefused: (message: string) => (seen.refused = message),
  };
  const queue = new ClickQueue(send, events, roomStartWindowMs);
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

  it("keeps one batch in flight: taps during a slow answer go in the next batch, after it", async () => {
    const [, send] = fakeServer();
    const asked: ClickBatch[] = [];
    const answers: Array<() => void> = [];
    const slow = (batch: ClickBatch) => {
      asked.push(batch);
      return new Promise<SendOutcome>((resolve) => answers.push(() => void send(batch).then(resolve)));
    };
    const { queue, seen } = makeQueue(slow);
    queue.add(3);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
    queue.add(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(asked.map((batch) => batch.count)).toEqual([3]);
    expect(seen.pending).toBe(5); // shown at once all the same
    answers[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toMatchObject({ pending: 2, confirmed: 3 });
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
    expect(asked.map((batch) => batch.count)).toEqual([3, 2]);
    answers[1]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toMatchObject({ pending: 0, confirmed: 5 });
  });

  it("waits the last answer's paceMs before the next batch, even for taps made before that answer", async () => {
    const [server, send] = fakeServer();
    server.paceMs = 1000;
    const { queue, seen } = makeQueue(send);
    queue.add(1);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
    expect(server.sent).toHaveLength(1);
    expect(seen.paceMs).toBe(1000);
    for (let i = 0; i < 4; i += 1) queue.add();
    expect(seen.pending).toBe(4);
    await vi.advanceTimersByTimeAsync(999);
    expect(server.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.sent.map((batch) => batch.count)).toEqual([1, 4]);
    // A reconnect does not jump the pace either.
    queue.add(2);
    queue.flushSoon();
    await vi.advanceTimersByTimeAsync(999);
    expect(server.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.sent).toHaveLength(3);
  });

  it("never sends sooner than 150 ms apart, whatever pace the answer gives", async () => {
    const [server, send] = fakeServer();
    server.paceMs = 0;
    const { queue, seen } = makeQueue(send);
    queue.add(1);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
    expect(seen.paceMs).toBe(BATCH_INTERVAL_MS);
    queue.add(1);
    await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS - 1);
    expect(server.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.sent).toHaveLength(2);
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

  describe("a start from idle (a whole room starting at once)", () => {
    afterEach(() => vi.restoreAllMocks());

    it("sends the first batch somewhere in the room's start window, and the next one no sooner than the window", async () => {
      vi.spyOn(Math, "random").mockReturnValue(0.6);
      const [server, send] = fakeServer();
      const { queue, seen } = makeQueue(send, () => 5000);
      queue.add(2);
      expect(seen.pending).toBe(2); // shown at once all the same
      expect(seen.paceMs).toBe(5000); // the wait the pad shows, before any answer
      await vi.advanceTimersByTimeAsync(2999);
      expect(server.sent).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(server.sent.map((batch) => batch.count)).toEqual([2]);
      // The node answered with the floor (it has seen few players yet): the window still holds.
      queue.add(1);
      await vi.advanceTimersByTimeAsync(4999);
      expect(server.sent).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(server.sent).toHaveLength(2);
      // After that, the node's own pace.
      queue.add(1);
      await vi.advanceTimersByTimeAsync(BATCH_INTERVAL_MS);
      expect(server.sent).toHaveLength(3);
    });

    it("spreads again only after the queue was idle, not while the player keeps tapping", async () => {
      vi.spyOn(Math, "random").mockReturnValue(0.5);
      const [server, send] = fakeServer();
      const { queue } = makeQueue(send, () => 4000);
      queue.add(1);
      await vi.advanceTimersByTimeAsync(2000);
      queue.add(1);
      await vi.advanceTimersByTimeAsync(4000);
      expect(server.sent).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(IDLE_AFTER_MS + 1);
      queue.add(1);
      await vi.advanceTimersByTimeAsync(1999);
      expect(server.sent).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(server.sent).toHaveLength(3);
    });

    it("takes the room's size over the node's budget, so a quiet room's first tap is not held back", () => {
      expect(roomStartWindowMs(4, 100)).toBeCloseTo(40, 1);
      expect(roomStartWindowMs(1000, 100)).toBe(10_000);
      expect(roomStartWindowMs(500, 100)).toBe(5000);
      expect(roomStartWindowMs(5000, 100)).toBe(MAX_PACE_MS);
      expect(roomStartWindowMs(0, 100)).toBe(0);
      expect(roomStartWindowMs(100, 0)).toBe(0);
    });

    it("counts a budget above the starting one as the starting one: a big room's first wave costs more", () => {
      expect(roomStartWindowMs(550, 1000)).toBeCloseTo((1000 * 550) / STARTING_BATCHES_PER_SECOND, 1);
      expect(roomStartWindowMs(550, 1000)).toBe(roomStartWindowMs(550, STARTING_BATCHES_PER_SECOND));
    });
  });
});
