// A player clicking through the HTTP API under chaos: numbered batches with its own batch ids,
// each sent until the server acknowledges it (the same batchId again after a crash or a 429),
// and the ledger of what was acknowledged.
import { setTimeout as pause } from "node:timers/promises";
import { clicksAnswer } from "../api/answers";
import { browserCaller, call, type Player } from "../api/api-client";
import type { Availability } from "./availability";
import type { Random } from "./chaos-seed";

export type ClickTarget = { url: string; availability: Availability };

/**
 * How a clicker paces its batches: `eager` every 10–30 ms, faster than the per-user rate (a 429
 * now and then is retried); `paced` as the game page and `npm run crowd` do, waiting the answer's
 * `paceMs` (the node's share of its write budget), plus up to 50 ms so a room does not click in step.
 */
export type Pacing = "eager" | "paced";

/** A request that keeps failing while its node is up is a bug, not chaos. */
const MAX_ATTEMPTS = 200;
/** About the per-user rate (30 batches a second after a burst of 60): now and then a 429 is retried. */
const EAGER_PACE_MS: [number, number] = [10, 30];
const PACED_JITTER_MS: [number, number] = [0, 50];
/** After a 429: the bucket refills with time, so waiting is the remedy, not a stand-in. */
const RATE_LIMITED_BACKOFF_MS = 100;

type Outcome = "acknowledged" | "unreachable" | "rate_limited";

export class Clicker {
  /** batchId → count, for every batch the server acknowledged. */
  readonly acknowledged = new Map<string, number>();
  /** Sends that had to be repeated (the node died, or a 429). */
  retries = 0;
  private stopped = false;
  private numbered = 0;
  /** The last answer's paceMs. */
  private paceMs = 0;

  constructor(
    readonly name: string,
    readonly player: Player,
    private readonly gameId: number,
    private readonly target: ClickTarget,
    private readonly random: Random,
    private readonly pacing: Pacing = "eager",
  ) {}

  /** Clicks until `stop()`; the batch in flight then is still delivered before this resolves. */
  async run(): Promise<void> {
    while (!this.stopped) {
      this.numbered += 1;
      await this.deliver(`${this.name}-${String(this.numbered).padStart(6, "0")}`, this.random.int(1, 20));
      // The pace is the protocol (the server says when to send next), not a wait for a condition.
      await pause(
        this.pacing === "eager" ? this.random.int(...EAGER_PACE_MS) : this.paceMs + this.random.int(...PACED_JITTER_MS),
      );
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private async deliver(batchId: string, count: number): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const outcome = await this.send(batchId, count);
      if (outcome === "acknowledged") {
        this.acknowledged.set(batchId, count);
        return;
      }
      this.retries += 1;
      if (outcome === "unreachable") await this.target.availability.up();
      else await pause(RATE_LIMITED_BACKOFF_MS);
    }
    throw new Error(`${this.name}: batch ${batchId} was never acknowledged in ${MAX_ATTEMPTS} attempts`);
  }

  private async send(batchId: string, count: number): Promise<Outcome> {
    const { url } = this.target;
    let answer;
    try {
      answer = await call(url, browserCaller(url, this.player.cookie), "POST", `/api/games/${this.gameId}/clicks`, {
        json: { count, batchId },
      });
    } catch {
      // The connection died with the node, or a kept-alive one from before the restart.
      return "unreachable";
    }
    if (answer.status === 200) {
      this.paceMs = clicksAnswer.parse(answer.body).paceMs;
      return "acknowledged";
    }
    if (answer.status === 429) return "rate_limited";
    throw new Error(`${this.name}: batch ${batchId} answered ${answer.status} ${answer.text}`);
  }
}
