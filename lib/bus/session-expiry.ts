// Disconnects a session socket when its token expires: it must come back with a fresh cookie.
// One timer for the whole node rather than one per socket (a Timeout, its closures and a
// `disconnect` listener were close to 1 KiB of every idle socket's heap). Sockets are grouped by
// the instant their token expires; a token's `exp` is in whole seconds, so the tabs of one
// session share a group.
import { personalChannel } from "./channel-kinds";
import type { BusSocket } from "./io";
import { processSingleton } from "@/lib/runtime/process-singleton";

/** Timers cap at 2^31 ms (about 24 days) and sessions last longer, so a far expiry re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

class ExpirySchedule {
  private readonly due = new Map<number, Set<BusSocket>>();
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  add(socket: BusSocket, expiresAt: number): void {
    let group = this.due.get(expiresAt);
    if (!group) {
      group = new Set();
      this.due.set(expiresAt, group);
    }
    group.add(socket);
    if (expiresAt < this.armedFor) this.arm(expiresAt);
  }

  remove(socket: BusSocket, expiresAt: number): void {
    const group = this.due.get(expiresAt);
    group?.delete(socket);
    if (group?.size === 0) this.due.delete(expiresAt);
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS));
    this.timer.unref();
  }

  /** Expires every group that is due and re-arms for the next (one pass over the groups). */
  private fire(): void {
    this.armedFor = Infinity;
    const now = Date.now();
    const expired: BusSocket[] = [];
    let next = Infinity;
    for (const [at, group] of this.due) {
      if (at > now) next = Math.min(next, at);
      else {
        this.due.delete(at);
        expired.push(...group);
      }
    }
    if (next < Infinity) this.arm(next);
    for (const socket of expired) {
      socket.emit("revoked", { channel: personalChannel(socket.data.user.id), reason: "signed_out" });
      socket.disconnect(true);
    }
  }
}

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "session-expiry": ExpirySchedule;
  }
}

const schedule = () => processSingleton("session-expiry", () => new ExpirySchedule());

/** Schedules the socket's disconnection at its session's expiry (API-token sockets have none). */
export function expireWithSession(socket: BusSocket): void {
  const { credential } = socket.data;
  if (credential.kind === "session") schedule().add(socket, credential.expiresAt);
}

/** Called as the socket disconnects. */
export function forgetExpiry(socket: BusSocket): void {
  const { credential } = socket.data;
  if (credential.kind === "session") schedule().remove(socket, credential.expiresAt);
}
