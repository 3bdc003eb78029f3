// Vitest on PostgreSQL (issue #14): the integration suites again, each file with DATABASE_URL set
// to a fresh database of its own (tests/support/postgres-engine.ts), so every server, harness and
// lib call in it runs on PostgreSQL. `npm test` runs it beside the SQLite run.
import { defineConfig } from "vitest/config";
import base, { postgresOnly } from "./vitest.config";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    name: "postgres",
    // Not merged with the base's lists (mergeConfig would append to them).
    include: ["tests/{bus,games,api,actions,cluster,auth,chaos}/**/*.test.ts"],
    exclude: [
      ...(base.test?.exclude ?? []).filter((pattern) => !postgresOnly.includes(pattern)),
      // About SQLite itself (its connections, its file, several processes on it):
      "tests/bus/store.test.ts",
      "tests/bus/transact-locking.test.ts",
      // PostgreSQL already, with databases of their own:
      "tests/bus/postgres-order.test.ts",
      "tests/bus/postgres-emit-order.test.ts",
    ],
    setupFiles: ["tests/support/postgres-engine.ts"],
  },
});
