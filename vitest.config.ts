// Vitest configuration: unit and integration tests under tests/ (browser tests are Playwright's).
// Integration tests start real server processes, so files run one at a time on this 2-core box.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/** About PostgreSQL's side-by-side transactions: only the postgres run (vitest.postgres.config.ts) has them. */
export const postgresOnly = ["tests/games/delete-join-race.test.ts"];

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**", ...postgresOnly],
    // Each integration file boots a Next production server (seconds of CPU); running files
    // side by side on two cores only makes start-up timeouts flaky, so files run in sequence.
    fileParallelism: false,
    // Forks, not threads: better-sqlite3 is a native addon and server.ts is spawned as a child.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // No retries: a flaky test is a bug to fix, not to hide.
    retry: 0,
  },
});
