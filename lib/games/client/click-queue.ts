// The browser's click queue: clicks are counted at once (optimistic), sent in batches every
// ~150 ms, and kept — with the same batchId, so the server counts them once — until the server
// confirms them, however long the tab is offline.
import { MAX_CLICKS_PER_BATCH } from "../schemas";

export const BATCH_INTERVAL_MS = 150;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;

export type ClickBatch = { batchId: string; count: number };
export type SendOutcome = { ok: true; total: number } | { ok: false; retry: boolean; message: string };
export type ClickQueueEvents = {
  /** Unconfirmed clicks changed (to show the optimistic total). */
  onPending: (unconfirmed: number) => void;
  onConfirmed: (total: number) => void;
  onRefused: (message: string) => void;
};

function newBatchId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

export class ClickQueue {
  private queued = 0;
  private inFlight: ClickBatch | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = RETRY_MIN_MS;
  private stopped = false;

  constructor(
    private readonly send: (batch: ClickBatch) => Promise<SendOutcome>,
    private readonly events: ClickQueueEvents,
  ) {}

  get unconfirmed(): number {
    return this.queued + (this.inFlight?.count ?? 0);
  }

  add(clicks = 1): void {
    if (this.stopped) return;
    this.queued += clicks;
    this.events.onPending(this.unconfirmed);
    this.schedule(BATCH_INTERVAL_MS);
  }

  /** A notification confirmed our in-flight batch before the action answered. */
  confirm(batchId: string): void {
    if (this.inFlight?.batchId !== batchId) return;
    this.inFlight = null;
    this.events.onPending(this.unconfirmed);
  }

  /** Sends now (on reconnect), instead of waiting for the retry delay. */
  flushSoon(): void {
    this.retryDelay = RETRY_MIN_MS;
    if (this.unconfirmed > 0) this.schedule(0, true);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(delay: number, replace = false): void {
    if (this.stopped || (this.timer && !replace)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  private sending = false;

  private async flush(): Promise<void> {
    if (this.sending || this.stopped) return;
    if (!this.inFlight && this.queued > 0) {
      const count = Math.min(this.queued, MAX_CLICKS_PER_BATCH);
      this.queued -= count;
      this.inFlight = { batchId: newBatchId(), count };
    }
    const batch = this.inFlight;
    if (!batch) return;
    this.sending = true;
    const outcome = await this.send(batch).catch((): SendOutcome => ({ ok: false, retry: true, message: "offline" }));
    this.sending = false;
    if (outcome.ok) {
      if (this.inFlight?.batchId === batch.batchId) this.inFlight = null;
      this.retryDelay = RETRY_MIN_MS;
      this.events.onConfirmed(outcome.total);
      this.events.onPending(this.unconfirmed);
      if (this.unconfirmed > 0) this.schedule(BATCH_INTERVAL_MS);
    } else if (outcome.retry) {
      this.schedule(this.retryDelay);
      this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
    } else {
      this.inFlight = null;
      this.queued = 0;
      this.events.onPending(0);
      this.events.onRefused(outcome.message);
    }
  }
}
