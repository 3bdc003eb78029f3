// The per-user budget for changes other than clicks (create, rename, delete, invite, remove,
// invite links, rounds, API tokens), shared by actions and the HTTP API. Spent only by a request
// that passed validation and authorization, right before it writes, so a refused input costs
// nothing and a flood of renames is held to one a second after its burst (MUTATION_BURST).
import { env } from "@/lib/config/env";
import { KeyedRateLimit } from "./keyed-rate-limit";
import { processSingleton } from "./process-singleton";
import { AppError } from "./app-error";

export const MUTATIONS_PER_SECOND = 1;

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "mutation-rate": KeyedRateLimit<number>;
  }
}

const budget = () =>
  processSingleton(
    "mutation-rate",
    () => new KeyedRateLimit<number>("mutations", env().MUTATION_BURST, MUTATIONS_PER_SECOND),
  );

/** Spends one change from the user's budget, or throws `rate_limited` with when to retry. */
export async function spendMutation(userId: number): Promise<void> {
  const decision = await budget().take(userId);
  if (!decision.ok)
    throw new AppError("rate_limited", `Too many changes at once. Try again in ${decision.retryAfterSeconds} s.`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
}
