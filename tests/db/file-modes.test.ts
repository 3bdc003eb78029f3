// The data directory and the database files are private to the server's user: a new data
// directory is created 0700, the database file and its WAL and shm files are 0600.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { migrateDatabase } from "@/db/client";
import { openSqlite } from "@/db/sqlite";

const root = mkdtempSync(join(tmpdir(), "clickbus-modes-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

it("creates the data directory 0700 and the database files 0600", async () => {
  const previous = process.umask(0o022);
  try {
    const path = join(root, "data", "clickbus.db");
    const engine = openSqlite(path);
    await migrateDatabase(engine);
    expect(mode(join(root, "data"))).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`])
      expect({ file, mode: mode(file) }).toEqual({ file, mode: 0o600 });
    await engine.close();
  } finally {
    process.umask(previous);
  }
});
