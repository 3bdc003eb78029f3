// The baseline's rooms (the `room` scenario): a game whose total lives in memory and whose clicks
// are announced as Clickbus announces them, one conflated `tally` per channel window
// ({ total, contributions } of the players whose count changed, the first after a quiet window
// at once, what follows within the window merged into one at its end), and nothing else: no
// auth, no database, no presence. It runs inside baseline-server.ts.

type TallyEntry = { id: number; username: string; clicks: number };
export type TallyPayload = { total: number; contributions: TallyEntry[] };

/** Clickbus's default window (lib/bus/conflated-event.ts DEFAULT_CONFLATION_WINDOW_MS). */
const WINDOW_MS = 100;

export class TallyRoom {
  total = 0;
  private readonly clicks = new Map<number, number>();
  private readonly changed = new Set<number>();
  private lastEmitAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly channel: string,
    private readonly emit: (payload: TallyPayload) => void,
  ) {}

  /** Counts a batch of `playerId` and announces it (now, or at the window's end); the new total. */
  add(playerId: number, count: number): number {
    this.total += count;
    this.clicks.set(playerId, (this.clicks.get(playerId) ?? 0) + count);
    this.changed.add(playerId);
    const since = performance.now() - this.lastEmitAt;
    if (this.timer) return this.total;
    if (since >= WINDOW_MS) this.flush();
    else this.timer = setTimeout(() => this.flush(), WINDOW_MS - since);
    return this.total;
  }

  private flush(): void {
    this.timer = null;
    if (this.changed.size === 0) return;
    const contributions = [...this.changed].map((id) => ({
      id,
      username: `guest${id}`,
      clicks: this.clicks.get(id) ?? 0,
    }));
    this.changed.clear();
    this.lastEmitAt = performance.now();
    this.emit({ total: this.total, contributions });
  }
}
