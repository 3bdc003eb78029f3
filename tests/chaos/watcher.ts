// A subscriber under chaos: one socket.io-client socket that reconnects by itself, subscribes to
// one channel with its cursor after every (re)connect, follows `more`, and records every stored
// notification it applies, the game's tallies folded as a client folds them, and anything that
// breaks the bus's delivery rules (docs/bus.md §3).
import { io, type Socket } from "socket.io-client";
import { tallyPayload, TallyFold } from "../support/tally";
import { errorAck, subscribeAck, wireNotification, type WireNotificationShape } from "../support/wire";

/**
 * `strict` (one node): a notification the watcher already has, or one older than its cursor,
 * is a violation outside the documented overlaps (a live frame repeated by a later page, or
 * following the ack that carried it); the cursor is the highest id applied.
 * `cluster`: duplicates are dropped by id and live order may differ from id order (docs/bus.md,
 * "Across nodes"); the resume cursor follows BusClient's rule, an id counting only once it has
 * been SETTLE_MS old while connected, because resuming from the highest id seen can skip one
 * still in flight.
 */
export type DeliveryRules = "strict" | "cluster";

const SETTLE_MS = 2000;
const ACK_TIMEOUT_MS = 10_000;

export class Watcher {
  /** Ids in the order the watcher applied them. */
  readonly applied: number[] = [];
  readonly violations: string[] = [];
  /** Every tally applied, folded by the client's rule: where this subscriber thinks the game stands. */
  readonly tally = new TallyFold();
  /** Live frames a replay page repeated, before or after it (documented: dropped by id). */
  overlaps = 0;
  /** Duplicates dropped by id under cluster rules. */
  duplicates = 0;
  connects = 0;
  /** Acks that said `more`, so the watcher asked for the next page. */
  pagesFollowed = 0;
  /** When it connected and from where it resumed, for a failure report. */
  readonly history: string[] = [];
  private readonly have = new Set<number>();
  /** Ids applied from an ack: a live frame may still follow with one of them (docs/bus.md §3). */
  private readonly replayed = new Set<number>();
  private readonly received: Array<{ id: number; at: number }> = [];
  private socket: Socket | undefined;
  /** Bumped on every connect: an ack from an older connection is stale. */
  private session = 0;
  private paging = false;
  private held: WireNotificationShape[] = [];
  private ackCursor = 0;
  private caughtUp: (() => void) | undefined;

  constructor(
    readonly name: string,
    private readonly url: () => string,
    private readonly cookie: string,
    readonly channel: string,
    private readonly rules: DeliveryRules,
  ) {}

  /** Connects (and keeps reconnecting) and resolves after the first complete replay. */
  start(): Promise<void> {
    const ready = this.nextCatchUp();
    this.open();
    return ready;
  }

  /**
   * Drops the socket and connects a fresh one from the watcher's cursor, as a client coming back
   * would; resolves once that replay is complete.
   */
  reconnectFresh(): Promise<void> {
    this.close();
    return this.start();
  }

  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
    this.paging = false;
    this.held = [];
  }

  /** Where the next subscribe resumes from. */
  cursor(): number {
    if (this.rules === "strict") return this.applied.at(-1) ?? 0;
    const settledBefore = Date.now() - SETTLE_MS;
    let cursor = this.ackCursor;
    for (const entry of this.received) if (entry.at <= settledBefore) cursor = Math.max(cursor, entry.id);
    return cursor;
  }

  private nextCatchUp(): Promise<void> {
    return new Promise((resolve) => (this.caughtUp = resolve));
  }

  private open(): void {
    const socket = io(this.url(), {
      transports: ["websocket"],
      forceNew: true,
      extraHeaders: { cookie: this.cookie },
      // Reconnects quickly: the node comes back on the same port within seconds.
      reconnectionDelay: 50,
      reconnectionDelayMax: 300,
    });
    this.socket = socket;
    socket.on("connect", () => void this.resubscribe());
    socket.on("disconnect", () => {
      this.paging = false;
      this.held = [];
      // As BusClient does: only time connected settles an id (what was in flight is lost).
      if (this.rules === "cluster") {
        this.ackCursor = this.cursor();
        this.received.length = 0;
      }
    });
    socket.on("notification", (raw: unknown) => this.onLive(raw));
  }

  private async resubscribe(): Promise<void> {
    this.connects += 1;
    this.session += 1;
    const session = this.session;
    this.paging = true;
    this.held = [];
    let last = this.cursor();
    this.history.push(
      `${Date.now()} connect ${this.connects} from ${last} (newest applied ${this.applied.at(-1) ?? 0})`,
    );
    for (;;) {
      const socket = this.socket;
      // Emitted while disconnected, a subscribe would be buffered and sent, stale, on the next connection.
      if (!socket?.connected || session !== this.session) return;
      let raw: unknown;
      try {
        raw = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("subscribe", { channels: [this.channel], last });
      } catch {
        // No ack: the connection died with the node; the next connect starts over.
        if (session === this.session && socket.connected)
          this.violations.push(`${this.name}: subscribe from ${last} was never answered`);
        return;
      }
      if (session !== this.session) return;
      const ack = subscribeAck.safeParse(raw);
      if (!ack.success) {
        this.violations.push(`${this.name}: subscribe answered ${JSON.stringify(errorAck.safeParse(raw).data ?? raw)}`);
        return;
      }
      if (ack.data.reset || ack.data.granted.join() !== this.channel)
        this.violations.push(`${this.name}: ack ${JSON.stringify({ ...ack.data, notifications: undefined })}`);
      let previous = last;
      for (const notification of ack.data.notifications ?? []) {
        if (notification.id === null || notification.id <= previous)
          this.violations.push(`${this.name}: a page from ${last} holds ${notification.id} after ${previous}`);
        previous = notification.id ?? previous;
        this.apply(notification, "replay");
      }
      if (!ack.data.more) {
        this.history.push(`${Date.now()} caught up to ${ack.data.last}`);
        this.ackCursor = Math.max(this.ackCursor, ack.data.last);
        break;
      }
      this.pagesFollowed += 1;
      last = ack.data.last;
    }
    this.paging = false;
    const held = this.held;
    this.held = [];
    for (const notification of held) {
      // Emitted while the watcher paged, and repeated by a later page: the documented overlap.
      if (notification.id !== null && this.have.has(notification.id)) this.overlaps += 1;
      else this.apply(notification, "live");
    }
    this.caughtUp?.();
    this.caughtUp = undefined;
  }

  private onLive(raw: unknown): void {
    const parsed = wireNotification.safeParse(raw);
    if (!parsed.success)
      return void this.violations.push(`${this.name}: malformed notification ${JSON.stringify(raw)}`);
    const notification = parsed.data;
    // Presence and other volatile messages are not stored: nothing to account for.
    if (notification.channel !== this.channel || notification.id === null) return;
    if (this.paging) this.held.push(notification);
    else this.apply(notification, "live");
  }

  private apply(notification: WireNotificationShape, source: "replay" | "live"): void {
    const id = notification.id;
    if (id === null) return;
    // Its commit was visible to the replay read before its answer reached the emitting code.
    if (source === "live" && this.replayed.has(id)) return void (this.overlaps += 1);
    if (this.have.has(id)) {
      if (this.rules === "cluster") this.duplicates += 1;
      else this.violations.push(`${this.name}: ${source} ${id} received twice`);
      return;
    }
    const newest = this.applied.at(-1) ?? 0;
    if (this.rules === "strict" && id < newest)
      this.violations.push(`${this.name}: ${source} ${id} arrived after ${newest}`);
    this.have.add(id);
    if (notification.event === "tally") {
      const payload = tallyPayload.safeParse(notification.payload);
      if (payload.success) this.tally.apply(payload.data);
      else
        this.violations.push(
          `${this.name}: ${source} ${id} is a malformed tally ${JSON.stringify(notification.payload)}`,
        );
    }
    if (source === "replay") this.replayed.add(id);
    this.applied.push(id);
    this.received.push({ id, at: Date.now() });
  }
}
