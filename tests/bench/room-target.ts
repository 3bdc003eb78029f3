// What the `room` scenario drives on either server: a fresh game of N guests, each with a phone
// (a socket) and taps sent through the game page's server action (or the baseline's stand-in),
// the server's health endpoint, and the game's total for the exactly-once check.
import type { Agent } from "node:http";
import type { ManagerOptions, SocketOptions } from "socket.io-client";
import { get, keepAliveAgent, type HttpAnswer, type RequestPhases } from "./http";
import { mapLimit } from "./map-limit";
import type { Batch, ClickVia, Player } from "./target";

/**
 * `accepted`: counted (or a repeat of a counted batch); `paceMs`: wait before the next batch;
 * `connectMs`: the TCP connect's share of the answer time when the batch opened a connection;
 * `phases`: when each step of its request ended; `answeredAt`: when the server wrote the answer
 * (tests/bench/http.ts), the commit's moment for the projector's lag.
 */
export type RoomClick =
  | {
      kind: "accepted";
      total: number;
      paceMs: number;
      connectMs: number;
      phases: RequestPhases;
      answeredAt: number;
    }
  | { kind: "rejected"; code: string };

export interface Room {
  /** The server's origin, where the phones connect. */
  readonly url: string;
  readonly channel: string;
  readonly guests: readonly Player[];
  /** Seconds the guests took to join (NaN for the baseline, which has no joins). */
  readonly joinSeconds: number;
  /** One batch through the game page's action or the HTTP API (the baseline has one stand-in for both). */
  click(guest: Player, batch: Batch, via: ClickVia): Promise<RoomClick>;
  socketOptions(guest: Player): Partial<ManagerOptions & SocketOptions>;
  /** The node's click batches a second as the game page renders it (the baseline: unpaced, Infinity). */
  clickBudget(): Promise<number>;
  /** GET /api/health (the baseline: its trivial equivalent); the HTTP status. */
  health(): Promise<number>;
  /** The game's total as the server has it. */
  total(): Promise<number>;
  /** Opens every phone's HTTP connection, as its page load would have (before the room starts). */
  openPageConnections(): Promise<void>;
  /** Drops the room's HTTP connections. */
  close(): void;
}

/**
 * The room's HTTP agents: one per guest with one connection, as each phone has its own (a shared
 * pool would queue batches in the load generator and count that wait as the server's answer
 * time), and one for the health probe, so it never waits behind the guests' batches.
 */
export type RoomAgents = {
  phone(guestId: number): Agent;
  /** GET /api/health on the probe's own connection; the HTTP status. */
  health(): Promise<number>;
  /**
   * Opens each phone's connection as its page load leaves it open (a GET of /api/health, which
   * both servers answer cheaply), so that its first batch does not connect: a phone that loaded
   * the game page taps through that connection.
   */
  openPageConnections(): Promise<void>;
  close(): void;
};

const PAGE_LOADS_IN_FLIGHT = 16;

/** The agents of a room at `url` whose guests have `guestIds`. */
export function roomAgents(url: string, guestIds: readonly number[]): RoomAgents {
  const phones = new Map<number, Agent>();
  const phone = (guestId: number) => {
    let agent = phones.get(guestId);
    if (!agent) phones.set(guestId, (agent = keepAliveAgent(1)));
    return agent;
  };
  const probe = keepAliveAgent(1);
  const health = async (agent: Agent) => (await get(agent, `${url}/api/health`)).status;
  return {
    phone,
    health: () => health(probe),
    openPageConnections: async () => {
      await mapLimit(guestIds, PAGE_LOADS_IN_FLIGHT, async (guestId) => {
        const status = await health(phone(guestId));
        if (status !== 200) throw new Error(`a phone's page load answered ${status}`);
      });
    },
    close: () => [...phones.values(), probe].forEach((agent) => agent.destroy()),
  };
}

/** The game page's floor between batches: max(150 ms, paceMs) (docs/workshop.md#room-sizes-and-one-address-joins). */
export const MIN_PACE_MS = 150;

/** An accepted batch's outcome from its HTTP answer and what it carried (the pace at least the floor). */
export function acceptedClick(answer: HttpAnswer, total: number, paceMs = MIN_PACE_MS): RoomClick {
  const { connectMs, phases, answeredAt } = answer;
  return { kind: "accepted", total, paceMs: Math.max(MIN_PACE_MS, paceMs), connectMs, phases, answeredAt };
}
