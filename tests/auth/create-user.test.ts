// createUser refuses a taken username without using up an id: SQLite advances the AUTOINCREMENT
// sequence even for an insert that ON CONFLICT DO NOTHING drops, and PostgreSQL never gives back
// an identity value, so a taken name is looked up first inside a transaction that rolls back
// (found by the HTTP fuzz suite: a 409 sign-up changed the database). Sign-ups racing for one
// name still make one account: the unique constraint decides.
import { expect, it } from "vitest";
import { busHarnessForFile } from "../support/bus-harness";

// Sets the database and the rest before lib/ is loaded, and migrates a fresh database.
busHarnessForFile();

it("answers username_taken and leaves the next account the very next id", async () => {
  const { createUser } = await import("@/lib/auth/users");
  const first = await createUser({ username: "taken_name", password: "correct-horse-battery" });
  if (!first.ok) throw new Error("the first sign-up was refused");
  expect(await createUser({ username: "taken_name", password: "another-password" })).toEqual({
    ok: false,
    error: "username_taken",
  });
  expect(await createUser({ username: "Taken_Name ", password: "another-password" })).toEqual({
    ok: false,
    error: "username_taken",
  });
  const next = await createUser({ username: "next_name", password: "correct-horse-battery" });
  expect(next.ok && next.user.id).toBe(first.user.id + 1);
});

it("makes one account of sign-ups racing for one name", async () => {
  const { createUser, verifyCredentials } = await import("@/lib/auth/users");
  const passwords = Array.from({ length: 6 }, (_, index) => `racing-password-${index}`);
  const results = await Promise.all(passwords.map((password) => createUser({ username: "raced_name", password })));
  const won = results.flatMap((result, index) =>
    result.ok ? [{ user: result.user, password: passwords[index] ?? "" }] : [],
  );
  expect(won).toHaveLength(1);
  expect(results.filter((result) => !result.ok)).toEqual(
    Array.from({ length: 5 }, () => ({ ok: false, error: "username_taken" })),
  );
  // The account is the winner's: their password signs in, a loser's does not.
  const [winner] = won;
  expect(await verifyCredentials({ username: "raced_name", password: winner?.password })).toEqual(winner?.user);
  const loser = passwords.find((password) => password !== winner?.password);
  expect(await verifyCredentials({ username: "raced_name", password: loser })).toBeNull();
});
