// A workshop whose database goes away for a moment: this file's server runs on PostgreSQL
// behind a TCP proxy the test cuts. A player who reloads the game page then sees that it could
// not load, with "Try again", and the page comes back once the database does: by the button, or
// by itself for a projector nobody touches; signing in meanwhile says the check failed, not that
// the password is wrong. Needs PostgreSQL (a failure under REQUIRE_POSTGRES=1).
import { randomBytes } from "node:crypto";
import { createTestDatabase, dropTestDatabase } from "../support/postgres-databases";
import { postgresProblem } from "../support/postgres-server";
import { freePort, startTestServer, type TestServer } from "../support/server";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { test as base, expect } from "./fixtures";
import { createGame } from "./game-helpers";
import { metricsEnv } from "./socket-count";

/** The proxy between this file's server and its database, and the database's URL through it. */
type DatabaseLink = { proxy: TcpProxy; url: string };

const test = base.extend<object, { link: DatabaseLink; server: TestServer & { metricsUrl: string } }>({
  link: [
    async ({}, provide) => {
      const database = await createTestDatabase();
      const proxy = await startTcpProxy(new URL(database.url));
      try {
        await provide({ proxy, url: proxy.via(database.url) });
      } finally {
        await proxy.close();
        await dropTestDatabase(database);
      }
    },
    { scope: "worker" },
  ],
  server: [
    async ({ link }, provide) => {
      const metricsPort = await freePort();
      const server = await startTestServer({ ...metricsEnv(metricsPort), DATABASE_URL: link.url, AUTH_SECRET: randomBytes(32).toString("base64url") });
      try {
        await provide({ ...server, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });
      } finally {
        await server.stop();
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

test.beforeAll(async () => {
  const problem = await postgresProblem();
  if (problem !== undefined && process.env.REQUIRE_POSTGRES === "1") throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1): ${problem}`);
  test.skip(problem !== undefined, `no PostgreSQL: ${problem ?? ""}`);
});

test("the game page says it could not load while the database is away, and comes back by the button or by itself", async ({ asUser, server, link: { proxy } }) => {
  const owner = await asUser();
  const game = await createGame(server.url, owner);
  const { page } = owner;
  await page.goto(`/games/${game.id}`);
  await expect(page.getByRole("heading", { name: game.name })).toBeVisible();

  proxy.cut();
  await page.reload();
  await expect(page.getByRole("heading", { name: "This page could not load" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("Clicks it already confirmed are safe");
  await expect(page.getByText(/Trying again by itself in \d+ s\./)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("could-not-load.png"), fullPage: true });

  // The button: sooner than the first retry by itself (8 s at the earliest).
  proxy.restore();
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(page.getByRole("heading", { name: game.name })).toBeVisible({ timeout: 6_000 });

  // By itself: nobody clicks.
  proxy.cut();
  await page.reload();
  await expect(page.getByRole("heading", { name: "This page could not load" })).toBeVisible();
  proxy.restore();
  await expect(page.getByRole("heading", { name: game.name })).toBeVisible({ timeout: 30_000 });
});

test("signing in while the database is away says so rather than 'wrong password', and works once it is back", async ({ createUser, browser, server, link: { proxy } }) => {
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
  await expect(form.getByRole("alert")).toHaveText("Clickbus could not check your password just now. Please try again in a moment.");

  proxy.restore();
  await form.getByLabel("Password").fill(user.password);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await context.close();
});
