"use client";
// Starting and ending a game's rounds from the browser (the game page's round panel and the
// presenter screen): which attempt is under way, and why the last one failed, whichever action it was.
import { useCallback, useState, useTransition } from "react";
import { endRoundAction, startRoundAction } from "@/app/actions/rounds";
import type { ActionResult } from "@/app/actions/run-action";

/** Said when the action could not be called at all (the network went away, the server restarted). */
export const UNREACHABLE = "The server could not be reached. Please try again.";

export type RoundControls = {
  start: (seconds: number) => void;
  end: (roundId: number) => void;
  /** The attempt under way, if any (one at a time: both buttons wait for it). */
  pending: "start" | "end" | null;
  /** Why the last start or end failed; null once one succeeds. */
  error: string | null;
};

export function useRoundControls(gameId: number): RoundControls {
  const [isPending, startTransition] = useTransition();
  const [attempt, setAttempt] = useState<"start" | "end">("start");
  const [error, setError] = useState<string | null>(null);
  const run = useCallback((kind: "start" | "end", action: () => Promise<ActionResult<unknown>>) => {
    setAttempt(kind);
    startTransition(async () => {
      // A rejected call would otherwise reach the error boundary and replace the whole page.
      const result = await action().catch(() => null);
      setError(result === null ? UNREACHABLE : result.ok ? null : result.message);
    });
  }, []);
  const start = useCallback((seconds: number) => run("start", () => startRoundAction(gameId, seconds)), [run, gameId]);
  const end = useCallback((roundId: number) => run("end", () => endRoundAction(gameId, roundId)), [run, gameId]);
  return { start, end, pending: isPending ? attempt : null, error };
}
