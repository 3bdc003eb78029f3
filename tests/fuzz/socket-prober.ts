// Sends one fuzz input down a real socket and reports what came back: the ack, the server
// cutting the connection (allowed: it disconnects garbage and floods), or nothing to wait for.
// A cut socket is replaced by a fresh one before the next input.
import { io, type Socket } from "socket.io-client";
import type { SocketInput } from "./socket-inputs";

/** `unsendable`: the client library itself cannot encode the input (too deep for its JSON). */
export type Outcome =
  | { kind: "ack"; answer: unknown }
  | { kind: "disconnected"; reason: string }
  | { kind: "sent" }
  | { kind: "silent" }
  | { kind: "unsendable" };

/** An ack that has not come by then is a hang, which the protocol rules out. */
const ACK_TIMEOUT_MS = 5000;

export class SocketProber {
  private socket: Socket | undefined;
  /** Fresh connections opened so far (each cut one is replaced). */
  connections = 0;

  constructor(
    private readonly url: string,
    private readonly cookie: string,
  ) {}

  async send(input: SocketInput): Promise<Outcome> {
    const socket = await this.connected();
    if (input.kind === "raw") {
      socket.io.engine.write(input.packet);
      return { kind: "sent" };
    }
    if (!input.ack)
      return this.emitted(() => socket.emit(input.event, ...input.args)) ? { kind: "sent" } : { kind: "unsendable" };
    return new Promise<Outcome>((resolve) => {
      const onDisconnect = (reason: string) => finish({ kind: "disconnected", reason });
      const timer = setTimeout(() => finish({ kind: "silent" }), ACK_TIMEOUT_MS);
      const finish = (outcome: Outcome) => {
        clearTimeout(timer);
        socket.off("disconnect", onDisconnect);
        resolve(outcome);
      };
      socket.once("disconnect", onDisconnect);
      if (
        !this.emitted(() =>
          socket.emit(input.event, ...input.args, (answer: unknown) => finish({ kind: "ack", answer })),
        )
      )
        finish({ kind: "unsendable" });
    });
  }

  /** Runs an emit; false when the client threw while encoding, before anything was sent. */
  private emitted(emit: () => void): boolean {
    try {
      emit();
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    this.socket?.disconnect();
    this.socket = undefined;
  }

  private async connected(): Promise<Socket> {
    if (this.socket?.connected) return this.socket;
    this.close();
    const socket = io(this.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: this.cookie },
    });
    this.connections += 1;
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (error: Error) => reject(new Error(`a fresh socket was refused: ${error.message}`)));
    });
    this.socket = socket;
    return socket;
  }
}
