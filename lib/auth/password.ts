// Password hashing: new hashes are scrypt (node:crypto, computed in libuv's thread pool, so the
// event loop keeps serving while they run); bcrypt hashes of older accounts still verify, and
// needsRehash tells the sign-in to replace them. At most HASH_SLOTS hashes run at once (each
// holds 128 MiB) and a bounded queue waits for a slot; beyond it the node answers "busy".
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import bcrypt from "bcryptjs";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/runtime/app-error";
import { processSingleton } from "@/lib/runtime/process-singleton";

/**
 * OWASP's Password Storage Cheat Sheet minimum for scrypt: N = 2^17 (PASSWORD_SCRYPT_COST, the
 * default), r = 8 (1 KiB blocks), p = 1. Test servers lower N: every test user would otherwise
 * cost a 128 MiB hash of about a second on two loaded cores.
 */
const scryptParams = (): ScryptParams => ({ N: 2 ** env().PASSWORD_SCRYPT_COST, r: 8, p: 1 });
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** A stored hash asking for more memory than this is refused as corrupt, not computed. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
export const HASH_SLOTS = 2;
export const BUSY_MESSAGE = "The server is busy; try again in a moment.";

/** The hash queue is full: the node is busy (429 over HTTP), which says nothing about the password. */
export class HashQueueFull extends AppError {
  constructor() {
    super("rate_limited", BUSY_MESSAGE, { retryAfterSeconds: 1 });
    this.name = "HashQueueFull";
  }
}

/** Hashes running now, and the callers waiting for a slot (each resumed by the one it waits on). */
type HashSlots = { running: number; waiting: Array<() => void> };

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "hash-slots": HashSlots;
  }
}

const slots = () => processSingleton("hash-slots", () => ({ running: 0, waiting: [] }));

/** Runs `work` in a hash slot; throws HashQueueFull when PASSWORD_HASH_QUEUE callers already wait. */
async function inHashSlot<T>(work: () => Promise<T>): Promise<T> {
  const state = slots();
  if (state.running >= HASH_SLOTS) {
    if (state.waiting.length >= env().PASSWORD_HASH_QUEUE) throw new HashQueueFull();
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

type ScryptParams = { N: number; r: number; p: number };
type ScryptHash = ScryptParams & { salt: Buffer; key: Buffer };

/** `scrypt$N$r$p$salt$key`, salt and key in base64url: the parameters travel with each hash. */
const SCRYPT_FORMAT = /^scrypt\$(\d{1,7})\$(\d{1,2})\$(\d{1,2})\$([\w-]{16,88})\$([\w-]{22,88})$/;
const BCRYPT_FORMAT = /^\$2[ab]\$/;

function parseScrypt(hash: string): ScryptHash | null {
  const match = SCRYPT_FORMAT.exec(hash);
  if (!match) return null;
  const [N, r, p] = [match[1], match[2], match[3]].map(Number);
  if (!N || !r || !p || N < 2 || (N & (N - 1)) !== 0 || 128 * N * r > MAX_SCRYPT_MEMORY) return null;
  return { N, r, p, salt: Buffer.from(match[4] ?? "", "base64url"), key: Buffer.from(match[5] ?? "", "base64url") };
}

function deriveKey(password: string, salt: Buffer, keyBytes: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  // scrypt needs about 128·N·r bytes; Node's default cap (32 MiB) is below OWASP's 128 MiB.
  const options = { N, r, p, maxmem: 2 * 128 * N * r };
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

async function scryptHash(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const params = scryptParams();
  const key = await deriveKey(password, salt, KEY_BYTES, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

async function scryptMatches(password: string, stored: ScryptHash): Promise<boolean> {
  const key = await deriveKey(password, stored.salt, stored.key.length, stored);
  return timingSafeEqual(key, stored.key);
}

export function hashPassword(password: string): Promise<string> {
  return inHashSlot(() => scryptHash(password));
}

/** Whether `password` matches `hash` (scrypt, or a bcrypt hash from before); false for anything else. */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
  const stored = parseScrypt(hash);
  if (stored) return inHashSlot(() => scryptMatches(password, stored));
  if (BCRYPT_FORMAT.test(hash)) return inHashSlot(() => bcrypt.compare(password, hash));
  return Promise.resolve(false);
}

/** Whether a hash that just verified should be replaced: bcrypt, or scrypt with other parameters. */
export function needsRehash(hash: string): boolean {
  const stored = parseScrypt(hash);
  const params = scryptParams();
  return !stored || stored.N !== params.N || stored.r !== params.r || stored.p !== params.p;
}

/**
 * What an unknown user's password is checked against, so that timing does not reveal whether the
 * user exists: a random key no password derives, at today's parameters, so it costs a real check.
 */
export function decoyHash(): string {
  const { N, r, p } = scryptParams();
  decoy ??= `scrypt$${N}$${r}$${p}$${randomBytes(SALT_BYTES).toString("base64url")}$${randomBytes(KEY_BYTES).toString("base64url")}`;
  return decoy;
}
let decoy: string | undefined;
