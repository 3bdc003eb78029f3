// Timed rounds in the browser: a 5 s round with two players ends, by the server, with the right
// podium on the presenter screen and on every game page, including a tab that was offline when
// it ended; the presenter's R key starts a round; End round now in a tab that is behind says why it
// failed; the presenter screen is members only.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { addMember, clickButton, createGame, expectTotal, openGame } from "./game-helpers";

const podium = (page: Page) => page.getByRole("list", { name: "Podium" }).getByRole("listitem");
const countdown = (page: Page) => page.getByRole("timer", { name: "Round ends in" });

async function openPresenter(page: Page, gameId: number): Promise<void> {
  await page.goto(`/games/${gameId}/present`);
  await expect(page.getByRole("status", { name: "Connection: connected" })).toBeVisible();
}

test("a 5 s round with two players ends with the right podium on the presenter screen and the game pages, an offline tab included", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  const presenter = await alice.newTab();
  await openPresenter(presenter, game.id);
  await openGame(alice.page, game.id);
  await openGame(bob.page, game.id);

  const round = alice.page.getByRole("region", { name: "Round" });
  await round.getByLabel("Round length (seconds)").fill("5");
  await round.getByRole("button", { name: "Start round" }).click();
  for (const page of [presenter, alice.page, bob.page]) await expect(countdown(page)).toBeVisible();

  for (let i = 0; i < 3; i += 1) await clickButton(bob.page).click();
  for (let i = 0; i < 2; i += 1) await clickButton(alice.page).click();
  await expectTotal([alice.page, bob.page], 5);
  await expect(bob.page.getByText(/Sending \d+ clicks?…|\d+ clicks? queued/)).toHaveCount(0);
  await expect(alice.page.getByText(/Sending \d+ clicks?…|\d+ clicks? queued/)).toHaveCount(0);
  // bob's browser drops off before the round ends, and only comes back after.
  await bob.context.setOffline(true);
  await expect(bob.page.getByRole("status", { name: "Connection: offline" })).toBeVisible();

  const expected = [new RegExp(`${bob.user.username}\\s*3 clicks`), new RegExp(`${alice.user.username}\\s*2 clicks`)];
  await expect(podium(presenter)).toHaveText(expected);
  await expect(podium(alice.page)).toHaveText(expected);
  await expect(countdown(presenter)).toHaveCount(0);

  await bob.context.setOffline(false);
  await expect(bob.page.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  await expect(podium(bob.page)).toHaveText(expected);
  // Clicks after the end count to the total only.
  await clickButton(bob.page).click();
  await expectTotal([alice.page, bob.page], 6);
  await expect(podium(presenter)).toHaveText(expected);
});

test("the owner's R key on the presenter screen starts a round, and End round now ends it early", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const game = await createGame(server.url, alice);
  await openPresenter(alice.page, game.id);
  const gamePage = await alice.newTab();
  await openGame(gamePage, game.id);

  await alice.page.bringToFront();
  await alice.page.keyboard.press("r");
  await expect(countdown(alice.page)).toHaveText(/^[01]:\d\d$/);
  await expect(countdown(gamePage)).toBeVisible();
  await clickButton(gamePage).click();
  // The game page counts its own click at once; the presenter screen only once it is committed.
  await expect(alice.page.getByRole("status", { name: "Total clicks" })).toHaveText("1");

  await alice.page.getByRole("button", { name: "End round now" }).click();
  await expect(podium(alice.page)).toHaveText([new RegExp(`${alice.user.username}\\s*1 click$`)]);
  await expect(podium(gamePage)).toHaveText([new RegExp(`${alice.user.username}\\s*1 click$`)]);
});

test("End round now in a tab that has not drawn the round's end yet says the round has ended already", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  // A second browser of the same owner, whose page stops drawing a while (the throttled timers and
  // frames of a background tab): notifications reach it but wait for a frame to be applied.
  const behind = await asUser(alice.user);
  const game = await createGame(server.url, alice);
  await behind.page.clock.install();
  await openGame(behind.page, game.id);
  await openGame(alice.page, game.id);
  const round = alice.page.getByRole("region", { name: "Round" });
  await round.getByRole("button", { name: "Start round" }).click();
  await expect(countdown(behind.page)).toBeVisible();
  await behind.page.clock.pauseAt(Date.now() + 1000);

  await round.getByRole("button", { name: "End round now" }).click();
  await expect(countdown(alice.page)).toHaveCount(0);
  const behindRound = behind.page.getByRole("region", { name: "Round" });
  await behindRound.getByRole("button", { name: "End round now" }).click();
  await expect(behindRound.getByRole("alert")).toHaveText("This round has ended already.");

  // Once the tab draws again it shows the end, and the message stays until the next attempt.
  await behind.page.clock.resume();
  await expect(countdown(behind.page)).toHaveCount(0);
  await expect(behindRound.getByRole("alert")).toHaveText("This round has ended already.");
  await behindRound.getByRole("button", { name: "Start round" }).click();
  await expect(countdown(behind.page)).toBeVisible();
  await expect(behindRound.getByRole("alert")).toHaveCount(0);
});

test("the presenter screen is for members: anyone else gets the game page's not-found", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const carol = await asUser(await createUser("carol"));
  const game = await createGame(server.url, alice);
  for (const path of [`/games/${game.id}`, `/games/${game.id}/present`, "/games/999999/present"]) {
    const response = await carol.page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(carol.page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
    await expect(carol.page.getByText(game.name)).toHaveCount(0);
  }
  // A member reaches it from the game page.
  await openGame(alice.page, game.id);
  await alice.page.getByRole("link", { name: "Presenter screen" }).click();
  await expect(alice.page).toHaveURL(new RegExp(`/games/${game.id}/present$`));
  const heading = alice.page.getByRole("heading", { level: 1, name: game.name });
  await expect(heading).toBeVisible();

  // On a projector everything fits: no scrollbar, nothing cut off, at either size.
  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 },
  ]) {
    await alice.page.setViewportSize(viewport);
    await expect(alice.page.getByRole("img", { name: /^Clicks per second/ })).toBeInViewport({ ratio: 1 });
    const fits = await heading.evaluate((h1) => {
      const screen = h1.closest("header")?.parentElement;
      const root = document.documentElement;
      return (
        !!screen &&
        screen.scrollHeight <= screen.clientHeight &&
        screen.scrollWidth <= screen.clientWidth &&
        root.scrollHeight <= root.clientHeight
      );
    });
    expect(fits, `${viewport.width}×${viewport.height}`).toBe(true);
  }
});
