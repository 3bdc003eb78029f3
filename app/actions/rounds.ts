"use server";
// Timed rounds from the game page and the presenter screen (owner only; lib/games/rounds.ts
// validates every argument). The node that starts a round also times its end.
import { scheduleRoundEnd } from "@/lib/games/round-timer";
import { endRoundEarly, startRound, type RoundSummary } from "@/lib/games/rounds";
import { runAction, type ActionResult } from "./run-action";

export async function startRoundAction(gameId: unknown, seconds: unknown): Promise<ActionResult<RoundSummary>> {
  return runAction("startRound", (user) => startRound(user, gameId, { seconds }, scheduleRoundEnd));
}

export async function endRoundAction(gameId: unknown, roundId: unknown): Promise<ActionResult<void>> {
  return runAction("endRound", async (user) => {
    await endRoundEarly(user, gameId, roundId);
  });
}
