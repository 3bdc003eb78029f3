// The crowd's projector: one more socket on the game channel, beside the bots, that measures how
// far the total on screen trails the commits. A batch's lag is the time from the moment its bot
// got the answer (whose `total` is the game's total right after that commit) to the moment this
// socket first received a tally whose total reached it; 0 when one had already arrived.
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import { lightParser, notificationHead } from "./light-parser";
import { Samples } from "./percentiles";

const subscribeAck = z.object({ granted: z.array(z.string()) });
/**
 * `clicks` is the per-batch event the game announced before issue #20's conflated `tally`; both
 * carry the game's total, so the crowd measures either server.
 */
export const TOTAL_EVENTS: ReadonlySet<string> = new Set(["tally", "clicks"]);

export type SocketSetup = { origin: string; cookie: string; channel: string; localAddress?: string };

/** A socket.io-client socket as the bots open it (WebSocket only, the light decoder, the bot's cookie). */
export function openSocket(setup: SocketSetup): Socket {
  const source = setup.localAddress ? { localAddress: setup.localAddress, family: 4 } : {};
  return io(setup.origin, { path: "/socket.io", transports: ["websocket"], forceNew: true, parser: lightParser, extraHeaders: { cookie: setup.cookie }, ...source });
}

export class Observer {
  readonly lag = new Samples();
  /** The highest total received so far: what the projector shows. */
  shown = 0;
  /** Committed totals not on screen yet, ascending, with when their answer arrived. */
  private pending: Array<{ total: number; at: number }> = [];
  private readonly socket: Socket;
  private readonly subscribed: Promise<void>;

  constructor(setup: SocketSetup) {
    this.socket = openSocket(setup);
    this.subscribed = new Promise((resolve, reject) => {
      this.socket.on("connect", () => {
        this.socket.emit("subscribe", { channels: [setup.channel] }, (ack: unknown) => {
          if (subscribeAck.safeParse(ack).data?.granted.includes(setup.channel)) resolve();
          else reject(new Error(`the observer's subscribe was refused: ${JSON.stringify(ack)}`));
        });
      });
    });
    this.socket.on("notification", (raw: unknown) => {
      const head = notificationHead(raw);
      if (head?.channel === setup.channel && head.total !== null && TOTAL_EVENTS.has(head.event)) this.show(head.total);
    });
  }

  /** Resolves once the socket is subscribed (the first batches are measured only after this). */
  ready(): Promise<void> {
    return this.subscribed;
  }

  /** A batch's answer said the game's total reached `total`. */
  committed(total: number, at = performance.now()): void {
    if (total <= this.shown) return this.lag.record(0);
    let index = this.pending.length;
    while (index > 0 && (this.pending[index - 1]?.total ?? 0) > total) index -= 1;
    this.pending.splice(index, 0, { total, at });
  }

  /** Acknowledged totals the projector never showed (at the end: should be 0). */
  get unshown(): number {
    return this.pending.length;
  }

  close(): void {
    this.socket.disconnect();
  }

  private show(total: number): void {
    if (total <= this.shown) return;
    this.shown = total;
    const at = performance.now();
    let shown = 0;
    while (shown < this.pending.length && (this.pending[shown]?.total ?? Infinity) <= total) {
      this.lag.record(at - (this.pending[shown]?.at ?? at));
      shown += 1;
    }
    this.pending.splice(0, shown);
  }
}
