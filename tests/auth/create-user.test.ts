// createUser refuses a taken username without using up an id: SQLite advances the AUTOINCREMENT
// sequence even for an insert that ON CONFLICT DO NOTHING drops, so the insert runs in a
// transaction that rolls back (found by the HTTP fuzz suite: a 409 sign-up changed the database).
import { expect, it } from "vitest";
import { busHarnessForFile } from "../support/bus-harness";

// Sets DATABASE_PATH and the rest before lib/ is loaded, and migrates a fresh database.
busHarnessForFile();

it("answers username_taken and leaves the next account the very next id", async () => {
  const { createUser } = await import("@/lib/auth/users");
  const first = await createUser({ username: "taken_name", password: "correct-horse-battery" });
  if (!first.ok) throw new Error("the first sign-up was refused");
  expect(await createUser({ username: "taken_name", password: "another-password" })).toEqual({ ok: false, error: "username_taken" });
  expect(await createUser({ username: "Taken_Name ", password: "another-password" })).toEqual({ ok: false, error: "username_taken" });
  const next = await createUser({ username: "next_name", password: "correct-horse-battery" });
  expect(next.ok && next.user.id).toBe(first.user.id + 1);
});
