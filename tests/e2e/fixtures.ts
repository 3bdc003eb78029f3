// Playwright fixtures for multi-user browser tests: one real server per worker, fresh users per
// test, signed-in users as browser contexts (one context per user, one page per tab), and guests
// who join through an invite link (docs/testing.md).
import { randomBytes } from "node:crypto";
import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import { z } from "zod";
import { signIn } from "../support/session";
import { freePort, startTestServer, type TestServer } from "../support/server";
import { metricsEnv } from "./socket-count";

export type TestUser = { id: number; username: string; password: string };

/** A signed-in user: their browser context (shared cookies) and a first tab. */
export type UserSession = {
  user: TestUser;
  context: BrowserContext;
  page: Page;
  /** Opens another tab of the same user (same context, same session). */
  newTab: () => Promise<Page>;
};

/** A guest who joined through an invite link in a signed-out browser context. */
export type GuestSession = { nickname: string; context: BrowserContext; page: Page; newTab: () => Promise<Page> };

type TestFixtures = {
  /** Creates an account through POST /api/users; the username is unique to this test. */
  createUser: (prefix?: string, password?: string) => Promise<TestUser>;
  /** Signs `user` in (a new user when omitted) and opens a browser context carrying the session. */
  asUser: (user?: TestUser) => Promise<UserSession>;
  /**
   * Opens `invitePath` (/join/<code>) in a new signed-out context (a phone, with
   * `devices["Pixel 7"]`, say), joins as a guest through the form and waits for the game page.
   */
  asGuest: (
    invitePath: string,
    options?: { nickname?: string; context?: BrowserContextOptions },
  ) => Promise<GuestSession>;
};

/** The server, and the address of its Prometheus text (`clickbus_sockets`, see socket-count.ts). */
type WorkerFixtures = { server: TestServer & { metricsUrl: string } };

const DEFAULT_PASSWORD = "correct-horse-battery";
const createdUser = z.object({ id: z.number().int().positive(), username: z.string() });

/** Usernames are unique across workers, tests and reruns against a reused database. */
function uniqueUsername(prefix: string): string {
  const safePrefix =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, "")
      .slice(0, 16) || "user";
  return `${safePrefix}-${randomBytes(5).toString("hex")}`;
}

// The second fixture argument is named `provide`, not the usual `use`, so that React's
// rules-of-hooks lint does not mistake it for React's `use` hook.
export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    async ({}, provide) => {
      const metricsPort = await freePort();
      const server = await startTestServer(metricsEnv(metricsPort));
      try {
        await provide({ ...server, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });
      } finally {
        await server.stop();
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],

  baseURL: async ({ server }, provide) => {
    await provide(server.url);
  },

  createUser: async ({ server }, provide) => {
    await provide(async (prefix = "user", password = DEFAULT_PASSWORD) => {
      const username = uniqueUsername(prefix);
      const response = await fetch(`${server.url}/api/users`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username, password }),
      });
      if (response.status !== 201)
        throw new Error(`POST /api/users for ${username}: ${response.status} ${await response.text()}`);
      const created = createdUser.parse(await response.json());
      return { id: created.id, username: created.username, password };
    });
  },

  asUser: async ({ server, browser, createUser }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (given) => {
      const user = given ?? (await createUser());
      // The same GET /api/auth/csrf + credentials callback a script would use
      // (docs/api.md#signing-a-script-in-and-minting-a-token).
      const { sessionToken } = await signIn(server.url, user.username, user.password);
      const context = await browser.newContext({ baseURL: server.url });
      contexts.push(context);
      await context.addCookies([
        { name: "authjs.session-token", value: sessionToken, url: server.url, httpOnly: true, sameSite: "Lax" },
      ]);
      const page = await context.newPage();
      return { user, context, page, newTab: () => context.newPage() };
    });
    await Promise.all(contexts.map((context) => context.close()));
  },

  asGuest: async ({ server, browser }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (invitePath, options = {}) => {
      const nickname = options.nickname ?? uniqueUsername("guest");
      const context = await browser.newContext({ ...options.context, baseURL: server.url });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(invitePath);
      await page.getByLabel("Nickname").fill(nickname);
      await page.getByRole("button", { name: "Join as guest" }).click();
      await expect(page).toHaveURL(/\/games\/\d+$/);
      return { nickname, context, page, newTab: () => context.newPage() };
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
});

export { expect };
