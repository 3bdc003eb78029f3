// The browser's click queue: clicks are counted at once (optimistic), sent one batch at a time,
// each at least max(150 ms, the last answer's paceMs) after the previous answer, and kept — with
// the same batchId, so the server counts them once — until the server's answer confirms them,
// however long the tab is offline. A start from idle is spread over the room's start window
// (./room-start.ts), so that a whole room starting at once does not reach the node at once.
import { MAX_CLICKS_PER_BATCH } from "../schemas";
import { BATCH_INTERVAL_MS, MAX_PACE_MS } from "./click-pace-limits";
import { IDLE_AFTER_MS, roomStartDelayMs } from "./room-start";

export { BATCH_INTERVAL_MS, MAX_PACE_MS };
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;

export type ClickBatch = { batchId: string; count: number };
/** `paceMs`: the server's wait before the next batch (the node's pace for the room). */
export type SendOutcome = { ok: true; total: number; paceMs: number } | { ok: false; retry: boolean; message: string };
export type ClickQueueEvents = {
  /** Unconfirmed clicks changed (to show the optimistic total). */
  onPending: (unconfirmed: number) => void;
  onConfirmed: (total: number) => void;
  /** The wait before the next batch that the last answer set (its paceMs, within the bounds). */
  onPace: (paceMs: number) => void;
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
  /** When the next batch may go (Date.now() time): the last answer's time plus its pace. */
  private nextSendAt = 0;
  /** When the queue last sent or heard an answer (Date.now() time); 0: never. */
  private activeAt = 0;
  /** The room's start window while a start from idle waits for its first answer, else 0. */
  private startWindowMs = 0;

  /** `roomStartWindowMs`: the room's start window now (./room-start.ts); none: no spreading. */
  constructor(
    private readonly send: (batch: ClickBatch) => Promise<SendOutcome>,
    private readonly events: ClickQueueEvents,
    private readonly roomStartWindowMs: () => number = () => 0,
  ) {}

  get unconfirmed(): number {
    return this.queued + (this.inFlight?.count ?? 0);
  }

  add(clicks = 1): void {
    if (this.stopped) return;
    const idle = this.unconfirmed === 0 && !this.sending && Date.now() - this.activeAt > IDLE_AFTER_MS;
    this.queued += clicks;
    this.events.onPending(this.unconfirmed);
    if (idle) return this.startFromIdle();
    // The first tap after a quiet spell still waits a little, to gather the taps that follow.
    this.schedule(Math.max(BATCH_INTERVAL_MS, this.paceLeft()));
  }

  /** The first batch goes somewhere in the room's start window, and its answer's pace is at least that window. */
  private startFromIdle(): void {
    this.startWindowMs = Math.min(MAX_PACE_MS, Math.max(0, this.roomStartWindowMs()));
    const delay = roomStartDelayMs(this.startWindowMs);
    this.nextSendAt = Math.max(this.nextSendAt, Date.now() + delay);
    // The wait is the window's now, not the pace of an answer before the quiet spell.
    this.events.onPace(Math.max(BATCH_INTERVAL_MS, this.startWindowMs));
    this.schedule(this.paceLeft(), true);
  }

  /** Sends as soon as the pace allows (on reconnect), instead of waiting for the retry delay. */
  flushSoon(): void {
    this.retryDelay = RETRY_MIN_MS;
    if (this.unconfirmed > 0) this.schedule(this.paceLeft(), true);
  }

  private paceLeft(): number {
    return Math.max(0, this.nextSendAt - Date.now());
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
    // A timer set by a tap before the last answer came may fire before that answer's pace ends.
    const wait = this.paceLeft();
    if (wait > 0) return this.schedule(wait, true);
    if (!this.inFlight && this.queued > 0) {
      const count = Math.min(this.queued, MAX_CLICKS_PER_BATCH);
      this.queued -= count;
      this.inFlight = { batchId: newBatchId(), count };
    }
    const batch = this.inFlight;
    if (!batch) return;
    this.sending = true;
    this.activeAt = Date.now();
    const outcome = await this.send(batch).catch((): SendOutcome => ({ ok: false, retry: true, message: "offline" }));
    this.sending = false;
    this.activeAt = Date.now();
    if (outcome.ok) {
      if (this.inFlight?.batchId === batch.batchId) this.inFlight = null;
      this.retryDelay = RETRY_MIN_MS;
      // Until every player of a room that started together has had its first answer, the
      // node's own pace counts only those it has seen: the start window holds the second batch too.
      const asked = Number.isFinite(outcome.paceMs) ? outcome.paceMs : BATCH_INTERVAL_MS;
      const pace = Math.min(MAX_PACE_MS, Math.max(BATCH_INTERVAL_MS, asked, this.startWindowMs));
      this.startWindowMs = 0;
      this.nextSendAt = Date.now() + pace;
      this.events.onConfirmed(outcome.total);
      this.events.onPace(pace);
      this.events.onPending(this.unconfirmed);
      if (this.unconfirmed > 0) this.schedule(pace, true);
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
