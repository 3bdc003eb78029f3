// Per-socket protection: a token bucket for message rate, one for replay work (rows replayed),
// and a count of bad messages; a socket that floods or keeps sending garbage is disconnected.
import { TokenBucket } from "@/lib/runtime/token-bucket";

export const MESSAGE_BURST = 40;
export const MESSAGES_PER_SECOND = 20;
export const MAX_STRIKES = 20;
/**
 * Replay is charged by the rows it sends: a tab back from a long sleep can page through
 * REPLAY_ROWS_BURST at once (the gap limit), while a socket looping `subscribe { last: 0 }` gets
 * at most REPLAY_ROWS_PER_SECOND rows a second, however many channels or calls it uses.
 */
export const REPLAY_ROWS_BURST = 5000;
export const REPLAY_ROWS_PER_SECOND = 1000;

export class FloodGuard {
  private readonly bucket = new TokenBucket(MESSAGE_BURST, MESSAGES_PER_SECOND);
  private readonly replayRows = new TokenBucket(REPLAY_ROWS_BURST, REPLAY_ROWS_PER_SECOND);
  /** Rows set aside for subscribes still reading the store, so concurrent ones cannot each spend the budget. */
  private reservedRows = 0;
  private strikes = 0;

  /** Takes one message from the bucket; false when the socket is over its rate. */
  take(): boolean {
    return this.bucket.take();
  }

  /** How many rows the socket may be replayed now. */
  replayAllowance(): number {
    return Math.max(0, this.replayRows.available() - this.reservedRows);
  }

  /** Sets `rows` aside for a subscribe in flight; `settleReplay` charges what it used. */
  reserveReplay(rows: number): void {
    this.reservedRows += rows;
  }

  /** The subscribe that reserved `reserved` rows is answered, having replayed `used` of them. */
  settleReplay(reserved: number, used: number): void {
    this.reservedRows = Math.max(0, this.reservedRows - reserved);
    this.chargeReplay(used);
  }

  /** Charges rows that were replayed. */
  chargeReplay(rows: number): void {
    this.replayRows.spend(rows);
  }

  /** Records a bad message; true when the socket has used up its allowance and must go. */
  strike(): boolean {
    this.strikes += 1;
    return this.strikes >= MAX_STRIKES;
  }
}
