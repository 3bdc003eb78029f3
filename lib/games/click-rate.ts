// Per-user rate limit of click batches (one bucket per user per process, shared by the
// server action and the HTTP API).
import { processSingleton } from "@/lib/runtime/process-singleton";
import { KeyedRateLimit } from "@/lib/runtime/keyed-rate-limit";

export const BATCH_BURST = 60;
export const BATCHES_PER_SECOND = 30;

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "click-rate-buckets": KeyedRateLimit<number>;
  }
}

const limit = () =>
  processSingleton(
    "click-rate-buckets",
    () => new KeyedRateLimit<number>("click-batches", BATCH_BURST, BATCHES_PER_SECOND),
  );

/** Whether the user may commit one more click batch now. */
export async function takeClickBatch(userId: number): Promise<boolean> {
  return (await limit().take(userId)).ok;
}
