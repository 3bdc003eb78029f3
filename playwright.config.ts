// Playwright configuration: multi-user browser tests in tests/e2e, driving the Chromium that
// tests/support/chromium.ts finds. Each worker starts its own server in a fixture (no webServer).
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, resolveChromium } from "./tests/support/chromium";

const executablePath = resolveChromium() ?? undefined;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  // Two cores: one browser plus one Next server per worker is what such a machine carries well.
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    launchOptions: { executablePath, args: [...CHROMIUM_ARGS] },
  },
});
