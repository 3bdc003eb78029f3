// The live game across users and tabs: clicks from any tab (or the HTTP API) reach every open
// page with the leaderboard, presence counts a user once however many tabs, and milestones.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import {
  apiClicks,
  apiToken,
  addMember,
  clickButton,
  createGame,
  expectTotal,
  fetchGame,
  hereNow,
  leaderboard,
  openGame,
} from "./game-helpers";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The leaderboard rows ("1. name …"), top first, must name exactly these users in this order. */
async function expectRanking(page: Page, usernames: string[]): Promise<void> {
  await expect(leaderboard(page).getByRole("listitem")).toHaveText(
    usernames.map((name, index) => new RegExp(`^\\s*${index + 1}\\.\\s*${escape(name)}`)),
  );
}

test("a click in any tab shows the new total in every tab of every member, and the leaderboard follows", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);

  const aliceTab1 = alice.page;
  const aliceTab2 = await alice.newTab();
  const bobTab = bob.page;
  const tabs = [aliceTab1, aliceTab2, bobTab];
  for (const tab of tabs) await openGame(tab, game.id);
  await expectTotal(tabs, 0);

  await clickButton(aliceTab1).click();
  await expectTotal(tabs, 1);
  await clickButton(aliceTab2).click();
  await expectTotal(tabs, 2);
  await clickButton(bobTab).click();
  await expectTotal(tabs, 3);

  // Per-member contributions, live in every tab: alice 2, bob 1, alice ranked first.
  for (const tab of tabs) {
    await expect(leaderboard(tab).getByLabel(`${alice.user.username} clicks`)).toHaveText("2");
    await expect(leaderboard(tab).getByLabel(`${bob.user.username} clicks`)).toHaveText("1");
    await expectRanking(tab, [alice.user.username, bob.user.username]);
  }

  // bob overtakes: the ranking reorders everywhere.
  await clickButton(bobTab).click();
  await clickButton(bobTab).click();
  await expectTotal(tabs, 5);
  for (const tab of tabs) {
    await expect(leaderboard(tab).getByLabel(`${bob.user.username} clicks`)).toHaveText("3");
    await expectRanking(tab, [bob.user.username, alice.user.username]);
  }

  // The pages agree with the server.
  const token = await apiToken(server.url, alice);
  const stored = await fetchGame(server.url, token, game.id);
  expect(stored.total).toBe(5);
  expect(Object.fromEntries(stored.members.map((member) => [member.username, member.clicks]))).toEqual({
    [alice.user.username]: 2,
    [bob.user.username]: 3,
  });
});

test("presence lists a user with two tabs once, and drops her when both tabs close", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  const both = [alice.user.username, bob.user.username].sort((a, b) => a.localeCompare(b));

  await openGame(bob.page, game.id);
  await expect(hereNow(bob.page)).toHaveText([bob.user.username]);

  const aliceTab1 = alice.page;
  const aliceTab2 = await alice.newTab();
  await openGame(aliceTab1, game.id);
  await openGame(aliceTab2, game.id);

  // Three sockets in the room, two players: each named once, on every page.
  for (const tab of [bob.page, aliceTab1, aliceTab2]) {
    await expect(hereNow(tab)).toHaveText(both);
    await expect(tab.getByRole("heading", { name: "Here now (2)" })).toBeVisible();
  }

  // One of alice's tabs closing leaves her present through the other.
  await aliceTab1.close();
  await expect(hereNow(aliceTab2)).toHaveText(both);
  await expect(hereNow(bob.page)).toHaveText(both);

  await aliceTab2.close();
  await expect(hereNow(bob.page)).toHaveText([bob.user.username]);
  await expect(bob.page.getByRole("heading", { name: "Here now (1)" })).toBeVisible();
});

test("clicks sent through the HTTP API with a bearer token appear in the browser at once", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  await openGame(alice.page, game.id);
  await expectTotal([alice.page], 0);

  // bob scripts his clicks, curl-style; alice's page is live, nobody reloads.
  const bobToken = await apiToken(server.url, bob);
  expect(await apiClicks(server.url, bobToken, game.id, 7)).toBe(7);
  await expectTotal([alice.page], 7);
  await expect(leaderboard(alice.page).getByLabel(`${bob.user.username} clicks`)).toHaveText("7");

  expect(await apiClicks(server.url, bobToken, game.id, 5)).toBe(12);
  await expectTotal([alice.page], 12);
  await expect(leaderboard(alice.page).getByLabel(`${bob.user.username} clicks`)).toHaveText("12");
});

test("reaching 100 clicks celebrates the milestone for every member", async ({ server, createUser, asUser }) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  const pages = [alice.page, bob.page];
  for (const page of pages) await openGame(page, game.id);

  const celebration = (page: Page) => page.getByRole("status").filter({ hasText: "100 clicks!" });
  const token = await apiToken(server.url, bob);
  expect(await apiClicks(server.url, token, game.id, 99)).toBe(99);
  await expectTotal(pages, 99);
  await expect(alice.page.getByText("Next milestone: 100")).toBeVisible();
  for (const page of pages) await expect(celebration(page)).toHaveCount(0);

  // alice's one click in the browser crosses 100: both pages celebrate, naming her.
  await clickButton(alice.page).click();
  await expectTotal(pages, 100);
  for (const page of pages) {
    await expect(celebration(page)).toBeVisible();
    await expect(celebration(page)).toHaveText(`🎉 100 clicks! ${alice.user.username} hit the milestone.`);
    await expect(page.getByText("Next milestone: 1,000")).toBeVisible();
    await expect(page.getByRole("list", { name: "Activity" })).toContainText(
      `${alice.user.username} reached 100 clicks`,
    );
  }
});
