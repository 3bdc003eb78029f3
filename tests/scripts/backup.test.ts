// `npm run db:backup -- <file>` against a running node that keeps committing clicks: the copy is
// a consistent database (integrity check, and the game's total equals the sum of its counted
// batches), holds every click acknowledged before it started, and refuses to overwrite a file.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { click, createGame } from "../cluster/cluster-support";
import { newPlayer, type Player } from "../api/api-client";
import { startTestServer, type TestServer } from "../support/server";

let server: TestServer;
let alice: Player;

beforeAll(async () => {
  server = await startTestServer();
  alice = await newPlayer(server.url, "backup");
});
afterAll(() => server?.stop());

const backup = (file: string) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/backup.ts", file], {
    env: { ...process.env, DATABASE_PATH: server.databasePath, LOG_LEVEL: "silent" },
    timeout: 60_000,
  });

const row = z.object({ total: z.number(), counted: z.number() });

it("copies the live database consistently while clicks keep committing", async () => {
  const gameId = await createGame(server, alice, "Backed up");
  let acknowledged = 0;
  for (let index = 0; index < 5; index += 1) acknowledged += await click(server, alice, gameId, 2);
  let clicking = true;
  // Under the per-user burst (60 batches), so no click is refused while the copy is taken.
  const writer = (async () => {
    for (let sent = 0; clicking && sent < 50; sent += 1) await click(server, alice, gameId, 1);
  })();
  const file = join(server.dataDir, `backup-${randomUUID()}.db`);
  try {
    const { stdout } = await backup(file);
    expect(stdout).toContain(`Backed up ${server.databasePath} to ${file}`);
  } finally {
    clicking = false;
    await writer;
  }

  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    const state = row.parse(
      copy
        .prepare(
          "select g.total as total, (select coalesce(sum(count), 0) from click_batches where game_id = g.id) as counted from games g where g.id = ?",
        )
        .get(gameId),
    );
    expect(state.total).toBe(state.counted);
    expect(state.total).toBeGreaterThanOrEqual(acknowledged);
  } finally {
    copy.close();
  }
  await expect(backup(file)).rejects.toMatchObject({ stderr: expect.stringContaining("exists already") });
});

it("says how to call it", async () => {
  await expect(
    promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/backup.ts"], {
      env: { ...process.env, DATABASE_PATH: server.databasePath },
    }),
  ).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining("Usage: npm run db:backup -- <file>"),
  });
});
