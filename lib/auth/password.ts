// Password hashing with bcrypt (bcryptjs: pure JS, so nothing native to build on install). It runs
// on the event loop, so at most HASH_SLOTS hashes run at once and a bounded queue waits for a
// slot: a burst of sign-ins cannot starve every other request of the node.
import bcrypt from "bcryptjs";
import { AppError } from "@/lib/runtime/app-error";
import { processSingleton } from "@/lib/runtime/process-singleton";

const COST = 10;
export const HASH_SLOTS = 2;
export const HASH_QUEUE = 64;

const slots = () => processSingleton("hash-slots", () => ({ running: 0, waiting: [] as Array<() => void> }));

/** Runs `work` in a hash slot; refuses with `rate_limited` when the queue is full. */
async function inHashSlot<T>(work: () => Promise<T>): Promise<T> {
  const state = slots();
  if (state.running >= HASH_SLOTS) {
    if (state.waiting.length >= HASH_QUEUE) throw new AppError("rate_limited", "The server is busy signing people in. Try again in a moment.", { retryAfterSeconds: 1 });
    await new Promise<void>((resolve) => state.waiting.push(resolve));
  } else {
    state.running += 1;
  }
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line, or free it.
    const next = state.waiting.shift();
    if (next) next();
    else state.running -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return inHashSlot(() => bcrypt.hash(password, COST));
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return inHashSlot(() => bcrypt.compare(password, hash));
}

/** A hash to compare against when the user does not exist, so timing does not reveal it. */
export const DECOY_HASH = bcrypt.hashSync("clickbus-decoy-password", COST);
