// Finds the Chromium that Playwright should drive (docs/testing.md#running-them): CHROMIUM_PATH,
// else the Debian /usr/bin/chromium, else Playwright's own downloaded browser; null when none is
// installed.
import { accessSync, constants } from "node:fs";
import { chromium } from "@playwright/test";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/**
 * System Chromium run as root in a closed network needs these: no sandbox (root), no GPU
 * (headless servers), and none of the background calls home that would hang or log noise.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
] as const;

function executable(path: string | undefined): path is string {
  if (!path) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where Playwright's `npx playwright install chromium` puts its browser (may not exist). */
function playwrightBrowser(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    // Playwright throws when it has no build for this platform; that just means "none".
    return undefined;
  }
}

/** The Chromium executable to use, or null when there is none on this machine. */
export function resolveChromium(): string | null {
  // An explicit CHROMIUM_PATH wins even over a working system browser, but only if it runs.
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  for (const candidate of [fromEnv, SYSTEM_CHROMIUM, playwrightBrowser()]) {
    if (executable(candidate)) return candidate;
  }
  return null;
}
