// A form that creates, whose answer is lost on the way back (the server did the work, the browser
// saw a dropped connection): sent again, it gets the first answer instead of creating twice
// (app/components/use-keyed-submit.ts keeps the submission's key until an answer comes).
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { gameHeading, myGames, uniqueName } from "./game-helpers";

/** The next POST to `path` reaches the server, which answers; the browser sees the connection drop. */
async function loseNextAnswer(page: Page, path: string): Promise<void> {
  let lost = false;
  await page.route(
    (url) => url.pathname === path,
    async (route) => {
      if (route.request().method() !== "POST" || lost) return route.fallback();
      lost = true;
      await route.fetch();
      await route.abort("connectionreset");
    },
  );
}

const errorPage = (page: Page) => page.getByRole("heading", { name: "This page could not load" });

test("a token form sent again after a lost answer makes one token, and says its secret was shown once", async ({
  createUser,
  asUser,
}) => {
  const { page } = await asUser(await createUser("alice"));
  await page.goto("/settings");
  await loseNextAnswer(page, "/settings");
  await page.getByLabel("Token name").fill("flaky wifi");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(errorPage(page)).toBeVisible();

  await page.goto("/settings");
  const tokens = page.getByRole("list", { name: "API tokens" }).getByRole("listitem");
  await expect(tokens).toHaveCount(1);
  await page.getByLabel("Token name").fill("flaky wifi");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("status").filter({ hasText: "was already created by this submission" })).toBeVisible();
  await expect(page.getByLabel("New API token")).toHaveCount(0);
  await expect(tokens).toHaveCount(1);

  // Another submission is another token, its secret shown.
  await page.getByLabel("Token name").fill("second");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByLabel("New API token")).toHaveValue(/^cbt_/);
  await expect(tokens).toHaveCount(2);
});

test("the new-game form sent again after a lost answer opens the game it made, and makes no second", async ({
  createUser,
  asUser,
}) => {
  const { page } = await asUser(await createUser("alice"));
  const name = uniqueName("Flaky");
  await page.goto("/");
  await loseNextAnswer(page, "/");
  await page.getByLabel("New game").fill(name);
  await page.getByRole("button", { name: "Create game" }).click();
  await expect(errorPage(page)).toBeVisible();

  await page.goto("/");
  await expect(myGames(page).getByText(name)).toHaveCount(1);
  await page.getByLabel("New game").fill(name);
  await page.getByRole("button", { name: "Create game" }).click();
  await expect(gameHeading(page)).toContainText(name);
  const gameUrl = page.url();
  await page.goto("/");
  await expect(myGames(page).getByText(name)).toHaveCount(1);
  await myGames(page).getByText(name).click();
  await expect(page).toHaveURL(gameUrl);
});
