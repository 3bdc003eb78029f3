// Whether a node under chaos is up, as the test that kills it knows: a client whose request died
// with the node waits on `up()` for the restart instead of polling a closed port.
export class Availability {
  private running = true;
  private back: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;

  /** Called just before the kill, so every request the kill breaks finds the node marked down. */
  markDown(): void {
    if (!this.running) return;
    this.running = false;
    this.back = new Promise((resolve) => (this.open = resolve));
  }

  /** Called once the restarted node answers its health check. */
  markUp(): void {
    this.running = true;
    this.open();
  }

  /** Resolves at once while the node runs, else when it is back. */
  up(): Promise<void> {
    return this.back;
  }
}
