// Password hashes (lib/auth/password.ts): new ones are scrypt in a self-describing format, hashed
// in the thread pool so that the event loop keeps serving; bcrypt hashes of older accounts still
// sign in, and that sign-in replaces them with scrypt (read back from the row).
import { performance } from "node:perf_hooks";
import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { busHarnessForFile } from "../support/bus-harness";

/**
 * A short queue (PASSWORD_HASH_QUEUE), so that filling it takes a few hashes, not 66; and the
 * production cost (the harness lowers it for every other file).
 */
const QUEUE = 4;
const h = busHarnessForFile({ env: { PASSWORD_HASH_QUEUE: String(QUEUE), PASSWORD_SCRYPT_COST: "17" } });
const SCRYPT_HASH = /^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/;

async function storedHash(userId: number): Promise<string | undefined> {
  const { users } = h.lib.schema;
  const [row] = await h.lib.db.db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row?.hash;
}

async function setStoredHash(userId: number, passwordHash: string): Promise<void> {
  const { users } = h.lib.schema;
  await h.lib.db.transaction((tx) => tx.update(users).set({ passwordHash }).where(eq(users.id, userId)));
}

it("stores scrypt with its parameters and salt; the password verifies, another does not", async () => {
  const { hashPassword, verifyPassword } = await import("@/lib/auth/password");
  const hash = await hashPassword("correct-horse-battery");
  expect(hash).toMatch(SCRYPT_HASH);
  expect(await hashPassword("correct-horse-battery")).not.toBe(hash);
  expect(await verifyPassword("correct-horse-battery", hash)).toBe(true);
  expect(await verifyPassword("correct-horse-batterY", hash)).toBe(false);
  expect(await verifyPassword("correct-horse-battery", "")).toBe(false);
});

it("signs a bcrypt account in and replaces its hash with scrypt; a wrong password changes nothing", async () => {
  const { verifyCredentials } = await import("@/lib/auth/users");
  const { verifyPassword } = await import("@/lib/auth/password");
  const user = await h.user("legacy");
  const legacy = bcrypt.hashSync(user.password, 10);
  await setStoredHash(user.id, legacy);

  expect(await verifyCredentials({ username: user.username, password: "not-the-password" })).toBeNull();
  expect(await storedHash(user.id)).toBe(legacy);

  expect(await verifyCredentials({ username: user.username, password: user.password })).toEqual({
    id: user.id,
    username: user.username,
  });
  const upgraded = await storedHash(user.id);
  expect(upgraded).toMatch(SCRYPT_HASH);
  expect(await verifyPassword(user.password, upgraded ?? "")).toBe(true);
  // Signed in again, the scrypt hash is kept as it is.
  expect(await verifyCredentials({ username: user.username, password: user.password })).not.toBeNull();
  expect(await storedHash(user.id)).toBe(upgraded);
});

it("keeps the event loop free while hashes run", async () => {
  // bcryptjs yields between chunks of about 100 ms, so a bound on the longest pause cannot tell
  // it apart from scrypt on a loaded machine; what differs is the share of time the loop is
  // busy: bcryptjs keeps it busy the whole time (utilisation near 1), the thread pool does not.
  const { hashPassword, HASH_SLOTS } = await import("@/lib/auth/password");
  let ticks = 0;
  const ticker = setInterval(() => (ticks += 1), 5);
  const before = performance.eventLoopUtilization();
  const started = performance.now();
  await Promise.all(Array.from({ length: HASH_SLOTS + QUEUE }, (_, index) => hashPassword(`password-${index}`)));
  const { utilization } = performance.eventLoopUtilization(before);
  const elapsed = performance.now() - started;
  clearInterval(ticker);
  expect(utilization, `${ticks} ticks of 5 ms in ${Math.round(elapsed)} ms`).toBeLessThan(0.25);
});

it("refuses a hash beyond the queue at once with HashQueueFull, and still runs the queued ones", async () => {
  const { hashPassword, HashQueueFull, HASH_SLOTS } = await import("@/lib/auth/password");
  const admitted = Array.from({ length: HASH_SLOTS + QUEUE }, (_, index) => hashPassword(`queued-${index}`));
  await expect(hashPassword("one-too-many")).rejects.toBeInstanceOf(HashQueueFull);
  const hashes = await Promise.all(admitted);
  expect(hashes.every((hash) => SCRYPT_HASH.test(hash))).toBe(true);
  // The queue drained: the next hash is admitted.
  expect(await hashPassword("after-the-burst")).toMatch(SCRYPT_HASH);
});
