// What a scenario drives: a server under test (Clickbus or the bare Socket.IO baseline) with a
// game channel, a set of players who may click in it, and the process to measure.
import type { ManagerOptions, SocketOptions } from "socket.io-client";
import type { ServerProbe } from "./process-stats";
import type { Room } from "./room-target";

export type TargetName = "clickbus" | "baseline";

/** How a click batch reaches the server: the HTTP API or the game page's server action. */
export type ClickVia = "api" | "action";
export const CLICK_PATHS: readonly ClickVia[] = ["api", "action"];

export type Player = { id: number; username: string };
export type Batch = { count: number; batchId: string };

/** `accepted`: committed and announced; `rejected`: refused (rate limit, …) and nothing counted. */
export type ClickOutcome = { kind: "accepted"; total: number } | { kind: "rejected"; code: string };

/** Client-side pacing that keeps each player under the server's per-user click rate. */
export type RateLimit = { burst: number; perSecond: number };

export interface Target {
  readonly name: TargetName;
  readonly url: string;
  readonly pid: number;
  /** The channel every watcher subscribes to and every click is announced on. */
  readonly channel: string;
  readonly players: readonly Player[];
  /** The server's per-user click limit, or null when it has none. */
  readonly rateLimit: RateLimit | null;
  click(player: Player, via: ClickVia, batch: Batch): Promise<ClickOutcome>;
  /** Socket.IO client options for a watcher that signs in as `player`. */
  socketOptions(player: Player): Partial<ManagerOptions & SocketOptions>;
  /** A new game of `guests` players who tap through the server action (the `room` scenario). */
  openRoom(guests: number): Promise<Room>;
  /** The server's Prometheus metrics (Clickbus: its metrics listener), when it has them. */
  readonly metricsUrl?: string;
  /** Memory figures and CPU profiles of the server process. */
  readonly probe: ServerProbe;
  /** CPU seconds used by the server process so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}
