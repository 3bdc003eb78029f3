// Offline play: clicks made while the browser is offline count at once on the page, are kept,
// and once back online are counted exactly once, so every tab ends on the server's exact total.
import { expect, test } from "./fixtures";
import {
  addMember,
  apiToken,
  clickButton,
  createGame,
  expectTotal,
  fetchGame,
  leaderboard,
  openGame,
  totalOf,
} from "./game-helpers";

test("clicks made offline are kept, shown at once, and counted exactly once back online", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  const token = await apiToken(server.url, alice);

  const aliceTab1 = alice.page;
  const aliceTab2 = await alice.newTab();
  const bobTab = bob.page;
  const tabs = [aliceTab1, aliceTab2, bobTab];
  for (const tab of tabs) await openGame(tab, game.id);

  // Online first: two clicks, counted and seen everywhere.
  await clickButton(aliceTab1).click();
  await clickButton(aliceTab1).click();
  await expectTotal(tabs, 2);
  await expect(aliceTab1.getByText(/Sending \d+ clicks?…|\d+ clicks? queued/)).toHaveCount(0);

  // alice's browser goes offline (the whole context: both her tabs).
  await alice.context.setOffline(true);
  await expect(aliceTab1.getByRole("status", { name: "Connection: offline" })).toBeVisible();
  const offlineClicks = 5;
  for (let i = 0; i < offlineClicks; i += 1) await clickButton(aliceTab1).click();
  // The optimistic total rises at once and the page says the clicks are kept for later.
  await expect(totalOf(aliceTab1)).toHaveText(String(2 + offlineClicks));
  await expect(aliceTab1.getByText(`${offlineClicks} clicks saved — will send when back online`)).toBeVisible();
  // None of them reached the server (the test process itself is not offline).
  expect((await fetchGame(server.url, token, game.id)).total).toBe(2);

  // Meanwhile bob, online, plays on.
  for (let i = 0; i < 3; i += 1) await clickButton(bobTab).click();
  await expectTotal([bobTab], 5);
  await expect(bobTab.getByText(/Sending \d+ clicks?…|\d+ clicks? queued/)).toHaveCount(0);
  expect((await fetchGame(server.url, token, game.id)).total).toBe(5);

  // Back online: the queue sends its batches (retries keep their batchId), and every tab
  // converges on the exact total, alice's offline clicks counted once.
  await alice.context.setOffline(false);
  await expect(aliceTab1.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  const expected = 2 + offlineClicks + 3;
  await expect(aliceTab1.getByText(/clicks? saved|Sending|clicks? queued/)).toHaveCount(0, { timeout: 15_000 });
  await expectTotal(tabs, expected);
  const stored = await fetchGame(server.url, token, game.id);
  expect(stored.total).toBe(expected);
  for (const tab of tabs) {
    await expect(leaderboard(tab).getByLabel(`${alice.user.username} clicks`)).toHaveText(String(2 + offlineClicks));
    await expect(leaderboard(tab).getByLabel(`${bob.user.username} clicks`)).toHaveText("3");
  }

  // A reload shows the same number: nothing was double counted or lost on the way.
  await aliceTab2.reload();
  await expect(totalOf(aliceTab2)).toHaveText(String(expected));
});
