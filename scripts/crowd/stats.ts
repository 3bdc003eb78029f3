// What the crowd has done so far, and the one progress line that shows it: joins, batches,
// refusals, errors, the answer times, what the bots' sockets received and for how long.
import { Samples } from "./percentiles";

export class CrowdStats {
  joined = 0;
  present = 0;
  sent = 0;
  acknowledged = 0;
  /** Clicks in acknowledged batches: each batch counted once, however often it was retried. */
  acknowledgedClicks = 0;
  /** Batches kept for a retry when the crowd stopped: their clicks may or may not have counted. */
  unconfirmedBatches = 0;
  unconfirmedClicks = 0;
  limited = 0;
  errors = 0;
  left = 0;
  lastError = "";
  /** Request → answer of every click batch the server accepted (200), retries included. */
  readonly answers = new Samples();
  /** Game-channel notifications the bots' sockets received, and how many of those were tallies. */
  notifications = 0;
  tallies = 0;
  /** The same notifications by event, to see what else a bot's phone would be sent. */
  readonly byEvent = new Map<string, number>();
  /** Sum over bots of the milliseconds their socket was subscribed while the crowd clicked. */
  subscribedMs = 0;

  constructor(readonly players: number) {}

  line(secondsLeft: number | null): string {
    const parts = [
      `${this.joined}/${this.players} joined`,
      `${this.present} connected`,
      `${this.sent} batches sent, ${this.acknowledged} acknowledged`,
      `${this.limited} rate-limited`,
      `${this.errors} errors${this.lastError ? ` (last: ${this.lastError})` : ""}`,
    ];
    if (this.left > 0) parts.push(`${this.left} left`);
    if (secondsLeft !== null) parts.push(`${secondsLeft} s to go`);
    return `crowd: ${parts.join(" · ")}`;
  }

  error(message: string): void {
    this.errors += 1;
    this.lastError = message;
  }

  received(event: string, isTotal: boolean): void {
    this.notifications += 1;
    if (isTotal) this.tallies += 1;
    this.byEvent.set(event, (this.byEvent.get(event) ?? 0) + 1);
  }

  /** Notifications per bot per second of subscription: all game events, tallies alone, and by event. */
  perBotPerSecond(): { notifications: number; tallies: number; byEvent: Array<[string, number]> } {
    const seconds = this.subscribedMs / 1000;
    if (seconds === 0) return { notifications: 0, tallies: 0, byEvent: [] };
    const byEvent = [...this.byEvent]
      .map(([event, count]): [string, number] => [event, count / seconds])
      .sort((a, b) => b[1] - a[1]);
    return { notifications: this.notifications / seconds, tallies: this.tallies / seconds, byEvent };
  }
}
