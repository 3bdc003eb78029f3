// Per-user rate limit of click batches (one bucket per user per process, shared by the
// server action and the HTTP API).
import { processSingleton } from "@/lib/runtime/process-singleton";
import { TokenBucket } from "@/lib/runtime/token-bucket";

export const BATCH_BURST = 60;
export const BATCHES_PER_SECOND = 30;
const MAX_TRACKED_USERS = 50_000;

const buckets = () => processSingleton("click-rate-buckets", () => new Map<number, TokenBucket>());

/** Whether the user may commit one more click batch now. */
export function takeClickBatch(userId: number): boolean {
  const all = buckets();
  let bucket = all.get(userId);
  if (!bucket) {
    // Forgetting everyone at the cap only ever refills buckets, so it can never over-limit.
    if (all.size >= MAX_TRACKED_USERS) all.clear();
    bucket = new TokenBucket(BATCH_BURST, BATCHES_PER_SECOND);
    all.set(userId, bucket);
  }
  return bucket.take();
}
