// The chaos suite's randomness: one seed (CHAOS_SEED, or a fresh one, printed) drives the kill
// timings, batch sizes and pacing, so a failing run can be replayed with the same choices.
import { randomInt } from "node:crypto";
import { z } from "zod";

export type Random = {
  /** A float in [0, 1). */
  next: () => number;
  /** An integer in [min, max]. */
  int: (min: number, max: number) => number;
  /** An independent stream derived from this one (one per client, so they do not interleave). */
  fork: () => Random;
};

const seedText = z
  .string()
  .regex(/^\d{1,10}$/)
  .transform(Number)
  .pipe(z.number().max(2 ** 32 - 1));

/** The seed for `file`, printed with the command that replays it. */
export function chaosSeed(file: string): number {
  const given = process.env.CHAOS_SEED;
  const seed = given === undefined || given === "" ? randomInt(2 ** 32 - 1) : seedText.parse(given);
  console.log(`chaos seed ${seed} — replay with: CHAOS_SEED=${seed} npx vitest run ${file}`);
  return seed;
}

/** mulberry32: small, fast and good enough to pick delays. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    fork: () => seededRandom(Math.floor(next() * 2 ** 32)),
  };
}
