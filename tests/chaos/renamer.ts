// The game's owner renaming it over and over through the API under chaos. Clicks reach the
// channel as conflated tallies, about ten a second, so without this a late subscriber would wait
// minutes for the several replay pages it must follow under load; each rename is a discrete stored
// notification, interleaved with the tallies (the order rules of docs/bus.md, "Conflated events").
import { setTimeout as pause } from "node:timers/promises";
import { gameSummary } from "../api/answers";
import { browserCaller, call, type Player } from "../api/api-client";
import type { ClickTarget } from "./clicker";
import type { Random } from "./chaos-seed";

const MAX_ATTEMPTS = 200;
const PACE_MS: [number, number] = [0, 5];

export class Renamer {
  renamed = 0;
  private stopped = false;

  constructor(
    private readonly owner: Player,
    private readonly gameId: number,
    private readonly target: ClickTarget,
    private readonly random: Random,
  ) {}

  /** Renames until `stop()`; a rename whose node died is sent again once it is back. */
  async run(): Promise<void> {
    while (!this.stopped) {
      await this.rename(`Chaos ${this.renamed + 1}`);
      this.renamed += 1;
      // The random spacing is the load's shape, not a wait for a condition.
      await pause(this.random.int(...PACE_MS));
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private async rename(name: string): Promise<void> {
    const { url, availability } = this.target;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      let answer;
      try {
        answer = await call(url, browserCaller(url, this.owner.cookie), "PATCH", `/api/games/${this.gameId}`, {
          json: { name },
        });
      } catch {
        // Not answered: the node died. A rename that committed anyway is simply repeated.
        await availability.up();
        continue;
      }
      if (answer.status !== 200) throw new Error(`renaming the game answered ${answer.status} ${answer.text}`);
      gameSummary.parse(answer.body);
      return;
    }
    throw new Error(`renaming the game to ${name} failed ${MAX_ATTEMPTS} times`);
  }
}
