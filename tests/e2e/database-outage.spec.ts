// A workshop whose database goes away for a moment: this file's server runs on PostgreSQL
// behind a TCP proxy the test cuts. A player who reloads the game page then sees that it could
// not load (a 503 with Retry-After), with "Try again", and the page comes back once the database
// does: by the button, or by itself for a projector nobody touches (further apart each time, never
// while the tab is hidden; the test moves the page's clock rather than waiting); signing in
// meanwhile says the check failed, not that the password is wrong. Needs PostgreSQL (a failure
// under REQUIRE_POSTGRES=1).
import { randomBytes } from "node:crypto";
import { createTestDatabase, dropTestDatabase } from "../support/postgres-databases";
import { postgresProblem } from "../support/postgres-server";
import { freePort, startTestServer, type TestServer } from "../support/server";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import type { Page } from "@playwright/test";
import { test as base, expect } from "./fixtures";
import { createGame } from "./game-helpers";
import { metricsEnv } from "./socket-count";

/** The proxy between this file's server and its database, and the database's URL through it. */
type DatabaseLink = { proxy: TcpProxy; url: string };

const test = base.extend<object, { link: DatabaseLink; server: TestServer & { metricsUrl: string } }>({
  link: [
    async ({}, provide) => {
      const database = await createTestDatabase();
      // The proxy starts inside the try: if it fails to, the database is still dropped.
      let proxy: TcpProxy | undefined;
      try {
        proxy = await startTcpProxy(new URL(database.url));
        await provide({ proxy, url: proxy.via(database.url) });
      } finally {
        await proxy?.close();
        await dropTestDatabase(database);
      }
    },
    { scope: "worker" },
  ],
  server: [
    async ({ link }, provide) => {
      const metricsPort = await freePort();
      const server = await startTestServer({
        ...metricsEnv(metricsPort),
        DATABASE_URL: link.url,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
      });
      try {
        await provide({ ...server, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });
      } finally {
        await server.stop();
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

/** The seconds the error page says it waits before trying again by itself. */
async function secondsUntilRetry(page: Page): Promise<number> {
  const countdown = page.getByText(/^Trying again by itself in \d+ s\.$/);
  await expect(countdown).toBeVisible();
  return Number(/\d+/.exec((await countdown.textContent()) ?? "")?.[0]);
}

/**
 * The tab sent to the background or shown again, as the browser reports it: headless Chromium's
 * tabs are always visible, so the page is told what a browser would tell it.
 */
async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((isHidden) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => isHidden });
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => (isHidden ? "hidden" : "visible"),
    });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

/** Full-page screenshots at a laptop's and a phone's size, in the test's output directory. */
async function screenshots(page: Page, name: string): Promise<void> {
  const laptop = page.viewportSize();
  for (const [size, viewport] of [
    ["laptop", { width: 1366, height: 768 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: test.info().outputPath(`${name}-${size}.png`), fullPage: true });
  }
  if (laptop) await page.setViewportSize(laptop);
}

test.beforeAll(async () => {
  const problem = await postgresProblem();
  if (problem !== undefined && process.env.REQUIRE_POSTGRES === "1")
    throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1): ${problem}`);
  test.skip(problem !== undefined, `no PostgreSQL: ${problem ?? ""}`);
});

test("the game page says it could not load while the database is away, and comes back by the button or by itself", async ({
  asUser,
  server,
  link: { proxy },
}) => {
  const owner = await asUser();
  const game = await createGame(server.url, owner);
  const { page } = owner;
  // The page's timers run on a clock the test moves: retries by themselves wait 10 s and more.
  await page.clock.install();
  await page.goto(`/games/${game.id}`);
  await expect(page.getByRole("heading", { name: game.name })).toBeVisible();

  proxy.cut();
  // Not 500 (a bug): 503 and when to come back, for a browser, a proxy, a monitor.
  const answer = await page.reload();
  expect(answer?.status()).toBe(503);
  expect(answer?.headers()["retry-after"]).toBe("2");
  const trouble = page.getByRole("heading", { name: "This page could not load" });
  await expect(trouble).toBeVisible();
  await expect(trouble).toBeFocused();
  await expect(page).toHaveTitle("This page could not load · Clickbus");
  await expect(page.getByRole("alert")).toHaveText(
    "Something went wrong on the server. Clicks it already confirmed are safe.",
  );
  // 8 to 12 s; the page's clock runs on meanwhile, so only the upper bound is sure.
  const firstWait = await secondsUntilRetry(page);
  expect(firstWait).toBeLessThanOrEqual(12);
  await screenshots(page, "could-not-load");

  // The first retry by itself fails too (the error page comes anew): the next waits twice as long
  // (16 to 24 s; the clock keeps running meanwhile, so a little less by the time it is read).
  await page.clock.runFor(firstWait * 1000);
  await expect(trouble).toBeVisible();
  expect(await secondsUntilRetry(page)).toBeGreaterThan(12);
  // A reload (a new document) does not start the backoff over either.
  await page.reload();
  await expect(trouble).toBeVisible();
  expect(await secondsUntilRetry(page)).toBeGreaterThan(12);

  // A hidden tab does not retry; shown again, it does at once, and the page comes back by itself.
  await setTabHidden(page, true);
  await page.clock.runFor(25_000);
  await expect(page.getByText("It will try again once this tab is shown.")).toBeVisible();
  await expect(trouble).toBeVisible();
  proxy.restore();
  await setTabHidden(page, false);
  await expect(page.getByRole("heading", { name: game.name })).toBeVisible();
  // The page loaded fine: its retries are forgotten, the next outage starts at 10 s again.
  await page.clock.runFor(1_000);

  proxy.cut();
  await page.reload();
  await expect(trouble).toBeVisible();
  expect(await secondsUntilRetry(page)).toBeLessThanOrEqual(12);
  // The button, sooner than by itself: busy while the retry runs (the database's answer is slowed).
  proxy.delayNewConnections(1_500);
  proxy.restore();
  await page.getByRole("button", { name: "Try again" }).click();
  const busy = page.getByRole("button", { name: "Trying…" });
  await expect(busy).toBeDisabled();
  await expect(page.getByText("Trying again…")).toBeVisible();
  await expect(page.getByRole("heading", { name: game.name })).toBeVisible();
  proxy.delayNewConnections(0);
});

test("signing in while the database is away says so rather than 'wrong password', and works once it is back", async ({
  createUser,
  browser,
  server,
  link: { proxy },
}) => {
  const user = await createUser();
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "Sign in" });
  await expect(form).toBeVisible();

  proxy.cut();
  await form.getByLabel("Username").fill(user.username);
  await form.getByLabel("Password").fill(user.password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "Clickbus could not check your password just now. Please try again in a moment.",
  );

  proxy.restore();
  await form.getByLabel("Password").fill(user.password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await context.close();
});
