// A migrated SQLite engine on a fresh file, made the process's engine and the bus's database: for
// unit tests of the store and the data layer that need no Socket.IO server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Engine } from "@/db/engine";

/** A migrated SQLite engine on a fresh file, made the process's engine (unit tests of the store). */
export type ScratchEngine = { engine: Engine; path: string; close: () => Promise<void> };

export async function scratchSqlite(prefix = "clickbus-scratch-"): Promise<ScratchEngine> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, "bus.db");
  const { openSqlite } = await import("@/db/sqlite");
  // Renamed: the React lint takes any use… call for a hook.
  const { useEngine: installEngine, database } = await import("@/db/client");
  const { setBusDatabase } = await import("@/lib/bus/bus-database");
  const engine = openSqlite(path);
  await engine.migrate();
  installEngine(engine);
  // The bus stores in the app's database, handed over as the node hands it (attachBus).
  setBusDatabase(database);
  return {
    engine,
    path,
    close: async () => {
      installEngine(undefined);
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
