// The crowd's projector: one more socket on the game channel, beside the bots, that measures how
// far the total on screen trails the commits (lag-meter.ts says exactly how).
import { io, type Socket } from "socket.io-client";
import { subscribeAck } from "./answers";
import { LagMeter } from "./lag-meter";
import { lightParser, notificationHead } from "./light-parser";

/**
 * `clicks` is the per-batch event the game announced before issue #20's conflated `tally`; both
 * carry the game's total, so the crowd measures either server.
 */
export const TOTAL_EVENTS: ReadonlySet<string> = new Set(["tally", "clicks"]);

export type SocketSetup = { origin: string; cookie: string; channel: string };

/** A socket.io-client socket as the bots open it (WebSocket only, the light decoder, the bot's cookie). */
export function openSocket(setup: SocketSetup): Socket {
  return io(setup.origin, {
    path: "/socket.io",
    transports: ["websocket"],
    forceNew: true,
    parser: lightParser,
    extraHeaders: { cookie: setup.cookie },
  });
}

export class Observer extends LagMeter {
  private readonly socket: Socket;
  private readonly subscribed: Promise<void>;

  constructor(setup: SocketSetup) {
    super();
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

  close(): void {
    this.socket.disconnect();
  }
}
