// Per-socket protection: a token bucket for message rate and a count of bad messages; a socket
// that floods or keeps sending garbage is disconnected.
import { TokenBucket } from "@/lib/runtime/token-bucket";

export const MESSAGE_BURST = 40;
export const MESSAGES_PER_SECOND = 20;
export const MAX_STRIKES = 20;

export class FloodGuard {
  private readonly bucket = new TokenBucket(MESSAGE_BURST, MESSAGES_PER_SECOND);
  private strikes = 0;

  /** Takes one message from the bucket; false when the socket is over its rate. */
  take(): boolean {
    return this.bucket.take();
  }

  /** Records a bad message; true when the socket has used up its allowance and must go. */
  strike(): boolean {
    this.strikes += 1;
    return this.strikes >= MAX_STRIKES;
  }
}
