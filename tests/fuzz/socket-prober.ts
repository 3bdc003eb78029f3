// Sends one fuzz input down a real socket and reports what came back: the ack, the server
// cutting the connection (socket-verdict.ts judges whether the input deserved it), or nothing to
// wait for. A cut socket is replaced by a fresh one before the next input.
import { io, type Socket } from "socket.io-client";
import { MAX_STRIKES } from "@/lib/bus/flood-guard";
import type { SocketInput } from "./socket-inputs";

/** `unsendable`: the client library itself cannot encode the input (too deep for its JSON). */
export type Outcome =
  | { kind: "ack"; answer: unknown }
  /**
   * `earlierMayExplain`: an earlier input on this socket may have been the one cut for (a raw
   * packet or an emit without ack, whose cut comes with no answer to wait for, or the flood
   * guard's last strike), so this one's cut says nothing about it.
   */
  | { kind: "disconnected"; reason: string; earlierMayExplain: boolean }
  | { kind: "sent" }
  | { kind: "silent" }
  | { kind: "unsendable" };

/** An ack that has not come by then is a hang, which the protocol rules out. */
const ACK_TIMEOUT_MS = 5000;

export class SocketProber {
  private socket: Socket | undefined;
  /** Fresh connections opened so far (each cut one is replaced). */
  connections = 0;
  /** On the current socket: whether an input was sent with no answer to wait for, and the refusals. */
  private unanswered = false;
  private refusals = 0;

  constructor(
    private readonly url: string,
    private readonly cookie: string,
  ) {}

  async send(input: SocketInput): Promise<Outcome> {
    const socket = await this.connected();
    const earlierMayExplain = this.unanswered || this.refusals >= MAX_STRIKES - 1;
    const outcome = await this.sendOn(socket, input, earlierMayExplain);
    if (outcome.kind === "sent") this.unanswered = true;
    if (
      outcome.kind === "ack" &&
      typeof outcome.answer === "object" &&
      outcome.answer !== null &&
      "error" in outcome.answer
    )
      this.refusals += 1;
    return outcome;
  }

  private sendOn(socket: Socket, input: SocketInput, earlierMayExplain: boolean): Promise<Outcome> {
    if (input.kind === "raw") {
      socket.io.engine.write(input.packet);
      return Promise.resolve({ kind: "sent" });
    }
    if (!input.ack)
      return Promise.resolve(
        this.emitted(() => socket.emit(input.event, ...input.args)) ? { kind: "sent" } : { kind: "unsendable" },
      );
    return new Promise<Outcome>((resolve) => {
      const onDisconnect = (reason: string) => finish({ kind: "disconnected", reason, earlierMayExplain });
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
    this.unanswered = false;
    this.refusals = 0;
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
