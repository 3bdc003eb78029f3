// Vitest on PostgreSQL (issue #14): the integration suites again, each file with DATABASE_URL set
// to a fresh database of its own (tests/support/postgres-engine.ts), so every server, harness and
// lib call in it runs on PostgreSQL. `npm test` runs it beside the SQLite run.
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ["tests/{bus,games,api,actions,cluster,auth,chaos}/**/*.test.ts"],
      exclude: [
        // Not about the engine, or about SQLite alone:
        "tests/bus/transact-locking.test.ts", // several processes on one SQLite file
        "tests/bus/postgres-order.test.ts", // PostgreSQL already, with its own databases
      ],
      setupFiles: ["tests/support/postgres-engine.ts"],
      name: "postgres",
    },
  }),
);
