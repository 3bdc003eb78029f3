// Rate limits on signing in and signing up, taken before any password is hashed: per client
// address (a venue's whole room shares one address behind its NAT, so the burst is a room's
// worth, AUTH_ADDRESS_BURST) and, for sign-in, per username (a password guesser aiming at one
// account from many addresses).
import { env } from "@/lib/config/env";
import { KeyedRateLimit, type RateDecision } from "@/lib/runtime/keyed-rate-limit";
import { processSingleton } from "@/lib/runtime/process-singleton";

/** Refill per address: one sign-in (and, separately, one sign-up) every 3 s once the burst is spent. */
const ADDRESS_REFILL_PER_SECOND = 1 / 3;
/** Tries at one username: enough for typos, not for guessing. */
export const USERNAME_BURST = 10;
const USERNAME_REFILL_PER_SECOND = 1 / 6;

function createLimits() {
  return {
    signInByAddress: new KeyedRateLimit<string>(
      "sign-ins-by-address",
      env().AUTH_ADDRESS_BURST,
      ADDRESS_REFILL_PER_SECOND,
    ),
    signInByUsername: new KeyedRateLimit<string>("sign-ins-by-username", USERNAME_BURST, USERNAME_REFILL_PER_SECOND),
    signUpByAddress: new KeyedRateLimit<string>(
      "sign-ups-by-address",
      env().AUTH_ADDRESS_BURST,
      ADDRESS_REFILL_PER_SECOND,
    ),
  };
}

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "auth-limits": ReturnType<typeof createLimits>;
  }
}

const limits = () => processSingleton("auth-limits", createLimits);

/** Whether a sign-in attempt from `address` for `username` may go on to the password check. */
export async function admitSignIn(address: string, username: string): Promise<RateDecision> {
  const byName = await limits().signInByUsername.take(username.toLowerCase());
  if (!byName.ok) return byName;
  return limits().signInByAddress.take(address);
}

/** Whether a sign-up from `address` may go on to hashing its password. */
export function admitSignUp(address: string): Promise<RateDecision> {
  return limits().signUpByAddress.take(address);
}

export function tooManyAttempts(decision: Extract<RateDecision, { ok: false }>): string {
  return `Too many attempts from here. Try again in ${decision.retryAfterSeconds} s.`;
}
