// A player clicking through the HTTP API under chaos: numbered batches with its own batch ids,
// each sent until the server acknowledges it (the same batchId again after a crash or a 429),
// and the ledger of what was acknowledged.
import { setTimeout as pause } from "node:timers/promises";
import { clicksAnswer } from "../api/answers";
import { browserCaller, call, type Player } from "../api/api-client";
import type { Availability } from "./availability";
import type { Random } from "./chaos-seed";

export type ClickTarget = { url: string; availability: Availability };

/** A request that keeps failing while its node is up is a bug, not chaos. */
const MAX_ATTEMPTS = 200;
/** About the per-user rate (30 batches a second after a burst of 60): now and then a 429 is retried. */
const PACE_MS: [number, number] = [10, 30];
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

  constructor(
    readonly name: string,
    readonly player: Player,
    private readonly gameId: number,
    private readonly target: ClickTarget,
    private readonly random: Random,
  ) {}

  /** Clicks until `stop()`; the batch in flight then is still delivered before this resolves. */
  async run(): Promise<void> {
    while (!this.stopped) {
      this.numbered += 1;
      await this.deliver(`${this.name}-${String(this.numbered).padStart(6, "0")}`, this.random.int(1, 20));
      await pause(this.random.int(...PACE_MS));
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
      answer = await call(url, browserCaller(url, this.player.cookie), "POST", `/api/games/${this.gameId}/clicks`, { json: { count, batchId } });
    } catch {
      // The connection died with the node, or a kept-alive one from before the restart.
      return "unreachable";
    }
    if (answer.status === 200) {
      clicksAnswer.parse(answer.body);
      return "acknowledged";
    }
    if (answer.status === 429) return "rate_limited";
    throw new Error(`${this.name}: batch ${batchId} answered ${answer.status} ${answer.text}`);
  }
}
