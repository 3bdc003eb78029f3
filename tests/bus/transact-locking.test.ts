// transact() next to another process writing the same SQLite file (several nodes, or a script):
// a transaction that reads before it writes must not fail with "database is locked" because
// another connection committed after its read. It takes the write lock when it begins
// (BEGIN IMMEDIATE), so the other writer waits for it instead. SQLite's only: PostgreSQL has
// row locks and no database-wide write lock.
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { busHarnessForFile, type TestUser } from "../support/bus-harness";

describe.skipIf(Boolean(process.env.DATABASE_URL))("transact on SQLite beside another writer", () => {
  const h = busHarnessForFile();
  let other: Database.Database;
  let alice: TestUser;
  let gameId: number;

  beforeAll(async () => {
    alice = await h.user("alice");
    gameId = (await h.lib.games.createGame(alice, { name: "Locks" })).id;
    // Another process's connection, as a second node has; it gives up at once instead of waiting.
    const sqlite = h.lib.db.engine().sqlite;
    if (!sqlite) throw new Error("this file tests SQLite's locking: run it without DATABASE_URL");
    other = new Database(sqlite.writer.name, { timeout: 0 });
  });

  afterAll(() => other?.close());

  it("commits a read-then-write transaction while another connection tries to write in between", async () => {
    let otherWrite: "committed" | "waited" = "committed";
    const total = await h.lib.transact.transact(async ({ tx, announce }) => {
      const before = (await tx.select().from(h.lib.schema.games)).length;
      try {
        other.prepare("INSERT INTO activities (game_id, kind, actor) VALUES (?, 'created', 'script')").run(gameId);
      } catch {
        // The other connection found the write lock taken: it would have waited its busy timeout.
        otherWrite = "waited";
      }
      announce(`game:${gameId}`, "renamed", { name: `Locks ${randomUUID().slice(0, 4)}` });
      return before;
    });
    expect(total).toBeGreaterThan(0);
    expect(otherWrite).toBe("waited");
  });
});
