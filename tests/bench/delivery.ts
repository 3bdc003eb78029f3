// Accounting of one measured phase: which click batches were sent when, which watcher received
// which notification, latency from sending a click to each notification, and any loss,
// duplicate or notification nobody asked for. Correctness of the bench rests on these counts.
// A per-batch `clicks` notification (the baseline's) names its batch; a conflated `tally`
// (Clickbus's, issue #20) carries the game's total instead, and delivers every batch whose
// answer's total it reaches.
import { z } from "zod";
import { Latencies } from "./histogram";
import { now, sleep } from "./clock";

export const wireNotification = z.object({
  id: z.number().int().nullable(),
  channel: z.string(),
  event: z.string(),
  payload: z.unknown(),
  at: z.string(),
});
export type WireNotification = z.infer<typeof wireNotification>;
const clicksPayload = z.object({ batchId: z.string() });
const tallyPayload = z.object({ total: z.number().int() });

/** What a ledger needs to know about a watcher: its highest id so far (for order and duplicates). */
export type Receiver = { lastId: number };

/** `total`: the game's total in the batch's answer (set by `accepted`), which a tally must reach. */
type Pending = { sentAt: number; received: number; accepted: boolean; total: number | null; done: () => void };
/** The highest tally total a watcher has received in this phase, and when each higher one came. */
type Screen = { total: number; seen: Array<{ total: number; at: number }> };

export type DeliveryCounts = {
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  unexpected: number;
};

export class Ledger {
  readonly latencies = new Latencies();
  private readonly batches = new Map<string, Pending>();
  /** Batches with a known total, ascending by it. */
  private readonly byTotal: Pending[] = [];
  private readonly screens = new Map<Receiver, Screen>();
  private delivered = 0;
  private duplicates = 0;
  private unexpected = 0;

  constructor(
    private readonly channel: string,
    private readonly perBatch: number,
  ) {}

  /** Registers a batch about to be sent; resolves once every watcher has its notification. */
  sent(batchId: string): Promise<void> {
    return new Promise((resolve) =>
      this.batches.set(batchId, { sentAt: now(), received: 0, accepted: true, total: null, done: resolve }),
    );
  }

  /** The batch's answer said the game's total reached `total`: tallies that reach it deliver it. */
  accepted(batchId: string, total: number): void {
    const batch = this.batches.get(batchId);
    if (!batch?.accepted || batch.total !== null) return;
    batch.total = total;
    let index = this.byTotal.length;
    while (index > 0 && (this.byTotal[index - 1]?.total ?? 0) > total) index -= 1;
    this.byTotal.splice(index, 0, batch);
    // A watcher whose tally reached this total before the answer arrived got the batch then.
    for (const screen of this.screens.values()) {
      const first = screen.seen.find((entry) => entry.total >= total);
      if (first) this.deliver(batch, first.at);
    }
  }

  /** A refused batch must announce nothing: whatever arrived for it is unexpected. */
  refused(batchId: string): void {
    const batch = this.batches.get(batchId);
    if (!batch) return;
    this.unexpected += batch.received;
    batch.accepted = false;
    batch.done();
  }

  receive(receiver: Receiver, raw: unknown): void {
    const note = wireNotification.parse(raw);
    if (note.id === null || note.channel !== this.channel) return;
    if (note.id <= receiver.lastId) {
      // Seen already, or older than what this socket has: a duplicate or out of order, counted
      // once here and not again as a delivery (so the batch still shows as missing elsewhere).
      this.duplicates += 1;
      return;
    }
    receiver.lastId = note.id;
    if (note.event === "tally") return this.receiveTally(receiver, tallyPayload.parse(note.payload).total);
    if (note.event !== "clicks") return;
    const batch = this.batches.get(clicksPayload.parse(note.payload).batchId);
    if (!batch || !batch.accepted) {
      this.unexpected += 1;
      return;
    }
    this.delivered += 1;
    this.latencies.record(now() - batch.sentAt);
    batch.received += 1;
    if (batch.received === this.perBatch) batch.done();
  }

  private receiveTally(receiver: Receiver, total: number): void {
    let screen = this.screens.get(receiver);
    if (!screen) this.screens.set(receiver, (screen = { total: 0, seen: [] }));
    const shown = screen.total;
    if (total <= shown) return;
    const at = now();
    screen.seen.push({ total, at });
    // The batches whose totals lie in (what it showed, what it shows now].
    let index = this.byTotal.findIndex((batch) => (batch.total ?? 0) > shown);
    for (; index >= 0 && index < this.byTotal.length && (this.byTotal[index]?.total ?? Infinity) <= total; index += 1) {
      const batch = this.byTotal[index];
      if (batch) this.deliver(batch, at);
    }
    screen.total = total;
  }

  private deliver(batch: Pending, at: number): void {
    this.delivered += 1;
    this.latencies.record(at - batch.sentAt);
    batch.received += 1;
    if (batch.received === this.perBatch) batch.done();
  }

  /** Waits (at most `timeoutMs`) until every accepted batch reached every watcher. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = now() + timeoutMs;
    while (now() < deadline && this.missing() > 0) await sleep(10);
  }

  private missing(): number {
    let missing = 0;
    for (const batch of this.batches.values())
      if (batch.accepted) missing += Math.max(0, this.perBatch - batch.received);
    return missing;
  }

  counts(): DeliveryCounts {
    let accepted = 0;
    for (const batch of this.batches.values()) if (batch.accepted) accepted += 1;
    return {
      expected: accepted * this.perBatch,
      delivered: this.delivered,
      lost: this.missing(),
      duplicates: this.duplicates,
      unexpected: this.unexpected,
    };
  }
}
