// The node a fuzz file runs against, set up once per file: a real server, the fuzz world on it,
// and read-only looks into its SQLite file (the world's state, the fingerprint of every table).
import { afterAll, beforeAll } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { DbFingerprint } from "./db-fingerprint";
import { fuzzWorld, WorldLookup, type FuzzWorld } from "./fuzz-world";

export type FuzzTarget = { server: TestServer; w: FuzzWorld; lookup: WorldLookup; fingerprint: DbFingerprint };

/** Registers this file's beforeAll/afterAll; the returned function gives the target inside tests. */
export function fuzzTargetForFile(): () => FuzzTarget {
  let target: FuzzTarget | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    const w = await fuzzWorld(server);
    target = {
      server,
      w,
      lookup: new WorldLookup(server.databasePath),
      fingerprint: new DbFingerprint(server.databasePath),
    };
  });
  afterAll(async () => {
    target?.lookup.close();
    target?.fingerprint.close();
    await server?.stop();
  });
  return () => {
    if (!target) throw new Error("the fuzz target starts in beforeAll: use it inside tests");
    return target;
  };
}
