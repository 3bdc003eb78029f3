// Where one follower of one channel stands: which ids it already has (so a replayed or
// cross-node duplicate is dropped) and the id it can safely resume from after a disconnect.
// The tab's socket, the SharedWorker and each tab behind it all keep their position with this.

const SEEN_IDS_KEPT = 2000;
/**
 * Across nodes, id 11 (emitted on this socket's node) can arrive a few milliseconds before id 10
 * (coming through Redis). Resuming from 11 after a disconnect in that window would skip 10, so an
 * id counts toward the resume cursor only once it is this old, counted while connected; younger
 * ones are replayed again and dropped as already seen.
 */
export const SETTLE_MS = 2000;

export class ChannelCursor {
  private readonly seen = new Set<number>();
  /** Ids received in the last SETTLE_MS, in arrival order: not yet part of `settled`. */
  private readonly recent: Array<{ id: number; at: number }> = [];
  private settled: number | undefined;

  /**
   * `floor`: the cursor of the server render this follower shows (undefined = live only). Every
   * id at or below it was committed before the render read its data, so it is already shown
   * and is dropped (ids commit in id order: SQLite has one writer, PostgreSQL's announcing
   * transactions take a lock until they commit).
   */
  constructor(
    private readonly floor: number | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.settled = floor;
  }

  /** Records a stored notification's id; false when this follower must not see it again. */
  accept(id: number | null): boolean {
    if (id === null) return true; // volatile: never stored, never replayed, never a duplicate
    if (this.floor !== undefined && id <= this.floor) return false;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > SEEN_IDS_KEPT) this.seen.delete(this.seen.values().next().value ?? 0);
    this.settle();
    this.recent.push({ id, at: this.now() });
    return true;
  }

  /** The server says this follower is caught up to `last` (a subscribe ack). */
  advanceTo(last: number): void {
    this.settled = Math.max(this.settled ?? 0, last);
  }

  /** The id to resume from after a disconnect; undefined = live only. */
  resume(): number | undefined {
    this.settle();
    return this.settled;
  }

  /**
   * The connection dropped. Only time connected settles an id: what was still in flight from
   * another node never arrives on this connection, however long the reconnect takes, so the ids
   * not yet settled are given up and the reconnect replays them (found by the two-node crash
   * suite: a node that took seconds to return resumed past an id that never came).
   */
  disconnected(): void {
    this.settle();
    this.recent.length = 0;
  }

  /** Folds ids received long enough ago into the cursor. */
  private settle(): void {
    const settledBefore = this.now() - SETTLE_MS;
    while (this.recent.length > 0 && (this.recent[0]?.at ?? Infinity) <= settledBefore) {
      const entry = this.recent.shift();
      if (entry) this.settled = Math.max(this.settled ?? 0, entry.id);
    }
  }
}
