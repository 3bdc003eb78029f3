// A guest comes back: after closing the tab, and after the phone's browser was closed altogether
// (only cookies with an expiry survive that), the invite link leads straight back into the game
// as the same player with the same score, without asking for a nickname again.
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import {
  clickButton,
  createGame,
  expectTotal,
  gameHeading,
  inviteLink,
  leaderboard,
  openGame,
  uniqueName,
} from "./game-helpers";

const DAY_SECONDS = 24 * 60 * 60;

/** The game page of `gameId` as the guest `nickname`, with `clicks` to their name. */
async function expectBackInGame(page: Page, gameId: number, nickname: string, clicks: number): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`/games/${gameId}$`));
  await expect(page.getByLabel("Nickname")).toHaveCount(0);
  await expect(page.getByText(`Signed in as ${nickname}`)).toBeVisible();
  await expect(page.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  await expect(leaderboard(page).getByLabel(`${nickname} clicks`)).toHaveText(String(clicks));
}

/** What a browser keeps across a restart: its cookies with an expiry (session cookies go). */
async function persistentCookies(context: BrowserContext) {
  return (await context.storageState()).cookies.filter((cookie) => cookie.expires !== -1);
}

test("a guest who closed the tab, then the browser, reopens the invite link and is the same player with the same score", async ({
  server,
  browser,
  asUser,
  asGuest,
}) => {
  const alice = await asUser();
  const game = await createGame(server.url, alice, uniqueName("Rejoin"));
  const path = await inviteLink(server.url, alice, game.id);
  await openGame(alice.page, game.id);

  const guest = await asGuest(path);
  const nickname = guest.nickname;
  await expect(gameHeading(guest.page)).toHaveText(game.name);
  await expect(guest.page.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  for (let tap = 0; tap < 3; tap += 1) await clickButton(guest.page).click();
  await expectTotal([guest.page, alice.page], 3);
  await expect(leaderboard(alice.page).getByLabel(`${nickname} clicks`)).toHaveText("3");
  const players = await leaderboard(alice.page).getByRole("listitem").count();

  // The session cookie has an expiry days away: it is not a session-only cookie a closed browser drops.
  const session = (await guest.context.cookies()).find((cookie) => cookie.name === "authjs.session-token");
  expect(session?.expires).toBeGreaterThan(Date.now() / 1000 + 7 * DAY_SECONDS);

  // The tab is closed; the invite link opened again leads straight to the game.
  await guest.page.close();
  const again = await guest.newTab();
  await again.goto(path);
  await expectBackInGame(again, game.id, nickname, 3);

  // The browser is closed and opened again: a new context with only the persistent cookies.
  const cookies = await persistentCookies(guest.context);
  await guest.context.close();
  const reopened = await browser.newContext({ baseURL: server.url, storageState: { cookies, origins: [] } });
  try {
    const phone = await reopened.newPage();
    await phone.goto(path);
    await expectBackInGame(phone, game.id, nickname, 3);
    await clickButton(phone).click();
    await expectTotal([phone, alice.page], 4);
    await expect(leaderboard(alice.page).getByLabel(`${nickname} clicks`)).toHaveText("4");
    // Still one player of that name, not a second guest.
    await expect(leaderboard(alice.page).getByRole("listitem")).toHaveCount(players);
  } finally {
    await reopened.close();
  }
});
