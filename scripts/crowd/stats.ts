// What the crowd has done so far, and the one progress line that shows it.
export class CrowdStats {
  joined = 0;
  present = 0;
  sent = 0;
  acknowledged = 0;
  limited = 0;
  errors = 0;
  left = 0;
  lastError = "";

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
}
