// The game's `activity` signal, conflated: a bare "the feed changed, re-render" carries nothing
// to lose, so every one announced inside a second is one notification. A join storm of 1,000
// guests then costs each phone one re-render a second instead of one per join (and the node one
// fan-out a second instead of players × players).
import { z } from "zod";
import { conflated } from "@/lib/bus/conflated-event";

const ACTIVITY_WINDOW_MS = 1000;

export const activityConflation = conflated({
  payload: z.strictObject({}),
  windowMs: ACTIVITY_WINDOW_MS,
  merge: () => ({}),
});
