// Whose connection a tab is on: each user's browser has its own SharedWorker socket and sees
// only that user's channels; signing out, or in as someone else, in one tab reaches every tab
// of the browser, and "sign out everywhere" closes the connection and every tab's session.
import type { Page } from "@playwright/test";
import { signIn } from "../support/session";
import { expectLogOnly, header } from "./bus-helpers";
import { expect, test } from "./fixtures";
import {
  addMember,
  apiClicks,
  apiToken,
  clickButton,
  createGame,
  expectTotal,
  hereNow,
  lobbyCard,
  myGames,
  openGame,
  openLobby,
} from "./game-helpers";
import { expectSockets } from "./socket-count";

async function signInThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Username").fill(username);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

test("two users in two browsers hold two sockets, and neither sees the other's channels", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const aliceGame = await createGame(server.url, alice);
  const bobGame = await createGame(server.url, bob);
  const aliceLobby = await alice.newTab();
  const bobLobby = await bob.newTab();
  await openGame(alice.page, aliceGame.id);
  await openGame(bob.page, bobGame.id);
  await openLobby(aliceLobby);
  await openLobby(bobLobby);
  await expectSockets(server.metricsUrl, 2);

  await clickButton(alice.page).click();
  await clickButton(bob.page).click();
  await clickButton(bob.page).click();
  await expectTotal([alice.page], 1);
  await expectTotal([bob.page], 2);
  // A game created for alice reaches her lobby through her user channel, not bob's.
  const later = await createGame(server.url, alice);
  await expect(lobbyCard(aliceLobby, later.name)).toBeVisible();
  await expect(myGames(bobLobby).getByRole("listitem")).toHaveCount(1);
  await expectLogOnly(alice.page, `game:${aliceGame.id}`, 1);
  await expectLogOnly(bob.page, `game:${bobGame.id}`, 1);
  await expectSockets(server.metricsUrl, 2);
});

test("signing out in one tab reaches every tab; signing in as another user in a new tab gives it only that user's channels", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const carolUser = await createUser("carol");
  const carol = await asUser(carolUser);
  const aliceGame = await createGame(server.url, alice);
  const carolGame = await createGame(server.url, carol);
  const aliceToken = await apiToken(server.url, alice);
  await carol.context.close(); // carol signs in again below, in alice's browser

  const gameTab = alice.page;
  const lobbyTab = await alice.newTab();
  await openGame(gameTab, aliceGame.id);
  await openLobby(lobbyTab);
  await expectSockets(server.metricsUrl, 1);

  // Signing out in the game tab: the lobby tab follows by itself, and the connection closes.
  await header(gameTab).getByRole("button", { name: "Sign out" }).click();
  await expect(gameTab).toHaveURL(/\/sign-in/);
  await expect(lobbyTab).toHaveURL(/\/sign-in/);
  await expectSockets(server.metricsUrl, 0);

  // carol signs in, in a new tab of the same browser; the signed-out tabs follow her session.
  const carolTab = await alice.newTab();
  await signInThroughForm(carolTab, carolUser.username, carolUser.password);
  await expect(header(carolTab).getByText(`Signed in as ${carolUser.username}`)).toBeVisible();
  for (const tab of [gameTab, lobbyTab])
    await expect(header(tab).getByText(`Signed in as ${carolUser.username}`)).toBeVisible();
  await openGame(carolTab, carolGame.id);
  await expectSockets(server.metricsUrl, 1);

  // alice's game keeps changing; carol's tab hears only carol's game.
  await apiClicks(server.url, aliceToken, aliceGame.id, 3);
  await clickButton(carolTab).click();
  await expectTotal([carolTab], 1);
  await expectLogOnly(carolTab, `game:${carolGame.id}`, 1);
  await expect(myGames(lobbyTab).getByRole("listitem")).toHaveCount(1);
  await expect(lobbyCard(lobbyTab, carolGame.name)).toBeVisible();
});

test("a tab signed in as another user never joins the first user's connection, even where the other tabs do not hear of it", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const carolUser = await createUser("carol");
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  await addMember(server.url, alice, game.id, carolUser.username);
  // No cross-tab beacon in alice's browser: her open tab keeps its page (and its worker) when
  // someone else signs in next to it, which is the case the worker's identity must handle alone.
  await alice.context.addInitScript(() => {
    Reflect.deleteProperty(window, "BroadcastChannel");
  });
  const aliceTab = alice.page;
  await openGame(aliceTab, game.id);
  await openGame(bob.page, game.id);
  const sorted = (...names: string[]) => names.sort((a, b) => a.localeCompare(b));
  await expect(hereNow(bob.page)).toHaveText(sorted(alice.user.username, bob.user.username));

  // carol signs in in alice's browser (her session cookie replaces alice's), and opens the game
  // in a new tab: that tab gets a connection of its own.
  const { sessionToken } = await signIn(server.url, carolUser.username, carolUser.password);
  await alice.context.addCookies([
    { name: "authjs.session-token", value: sessionToken, url: server.url, httpOnly: true, sameSite: "Lax" },
  ]);
  const carolTab = await alice.newTab();
  await openGame(carolTab, game.id);
  await expect(header(carolTab).getByText(`Signed in as ${carolUser.username}`)).toBeVisible();
  const everyone = sorted(alice.user.username, bob.user.username, carolUser.username);
  for (const tab of [bob.page, carolTab]) await expect(hereNow(tab)).toHaveText(everyone);
  await expectSockets(server.metricsUrl, 3);

  // alice's stale tab loses its connection; the reconnect carries carol's cookie now, which the
  // worker refuses to use for alice's page: the page re-renders as carol's, on carol's connection.
  await alice.context.setOffline(true);
  await expectSockets(server.metricsUrl, 1);
  await alice.context.setOffline(false);
  await expect(header(aliceTab).getByText(`Signed in as ${carolUser.username}`)).toBeVisible();
  await expect(aliceTab.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  await expect(hereNow(bob.page)).toHaveText(sorted(bob.user.username, carolUser.username));
  await expectSockets(server.metricsUrl, 2);
});

test("sign out everywhere on another device closes this browser's connection and sends every tab to the sign-in page", async ({
  server,
  createUser,
  asUser,
}) => {
  const user = await createUser("alice");
  const laptop = await asUser(user);
  const phone = await asUser(user);
  const game = await createGame(server.url, laptop);
  const gameTab = laptop.page;
  const lobbyTab = await laptop.newTab();
  await openGame(gameTab, game.id);
  await openLobby(lobbyTab);
  await expectSockets(server.metricsUrl, 1);

  // The other browser shares no cookie and no BroadcastChannel: only the bus tells the laptop.
  await phone.page.goto("/settings");
  await phone.page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(phone.page).toHaveURL(/\/sign-in/);
  for (const tab of [gameTab, lobbyTab]) await expect(tab).toHaveURL(/\/sign-in/);
  await expectSockets(server.metricsUrl, 0);
});
