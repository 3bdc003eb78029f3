// The first screen of every packet a socket sends, known event or not: its flood guard's rate
// bucket, the two events the bus answers and their exact shape (payload, ack); a refusal answers
// the documented error and counts a strike, and enough strikes cut the socket.
import type { BusErrorCode, ErrorAck } from "./events";
import { FloodGuard } from "./flood-guard";
import type { BusSocket } from "./io";

/**
 * Each socket's flood guard. The handlers below are shared by every socket (Socket.IO calls them
 * with the socket as `this`) rather than closures made per socket: at 20 000 idle sockets the
 * closures, their contexts and property arrays were a tenth of the heap the bus added.
 */
const guards = new WeakMap<BusSocket, FloodGuard>();

export function guardOf(socket: BusSocket): FloodGuard {
  let guard = guards.get(socket);
  if (!guard) {
    guard = new FloodGuard();
    guards.set(socket, guard);
  }
  return guard;
}

export function refuse(socket: BusSocket, error: BusErrorCode, ack: unknown): void {
  if (typeof ack === "function") (ack as (answer: ErrorAck) => void)({ error });
  if (guardOf(socket).strike()) socket.disconnect(true);
}

/** Every incoming packet, known event or not, spends from the rate bucket. */
export function screen(socket: BusSocket, [event, ...args]: unknown[], next: (error?: Error) => void): void {
  const ack = args.at(-1);
  if (!guardOf(socket).take()) return refuse(socket, "rate_limited", ack);
  if (event !== "subscribe" && event !== "unsubscribe") return refuse(socket, "invalid_payload", ack);
  if (typeof ack !== "function") return refuse(socket, "invalid_payload", undefined);
  // Exactly (payload, ack): otherwise the handlers would see the ack as the payload (no answer)
  // or a non-function as the ack (a TypeError thrown outside any try, crashing the process).
  if (args.length !== 2) return refuse(socket, "invalid_payload", ack);
  next();
}
