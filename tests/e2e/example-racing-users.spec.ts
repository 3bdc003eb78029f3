// Example for docs/testing.md: two users race on one game from three tabs, each test waits on
// what the bus delivers (never a sleep), and a browser goes offline and comes back.
import { expect, test } from "./fixtures";
import { addMember, clickButton, createGame, expectTotal, openGame } from "./game-helpers";

test("two users clicking at once end on the same exact total in every tab", async ({ server, asUser }) => {
  const alice = await asUser(); // a fresh account, signed in, with a first tab
  const bob = await asUser();
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  const aliceSecondTab = await alice.newTab(); // same context: same session, same cookies
  const tabs = [alice.page, aliceSecondTab, bob.page];
  for (const tab of tabs) await openGame(tab, game.id); // returns once the tab's socket is live

  // Race: both users click ten times at the same moment.
  const clickTenTimes = async (tab: (typeof tabs)[number]) => {
    for (let i = 0; i < 10; i += 1) await clickButton(tab).click();
  };
  await Promise.all([clickTenTimes(alice.page), clickTenTimes(bob.page)]);
  // Each tab shows 20 only once the tally with the other user's clicks arrived: the assertion
  // retries until then (or fails after the expect timeout). No sleep, no polling of the server.
  await expectTotal(tabs, 20);

  // The bus log lists what this tab received, so a test can wait for one notification by name.
  await aliceSecondTab.getByText("Bus log").click();
  await expect(aliceSecondTab.getByRole("list", { name: "Bus log" }).getByText("tally").first()).toBeVisible();
});

test("an offline browser keeps its clicks and catches up when it reconnects", async ({ server, asUser }) => {
  const alice = await asUser();
  const bob = await asUser();
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  await openGame(alice.page, game.id);
  await openGame(bob.page, game.id);

  await bob.context.setOffline(true); // every tab of bob's browser
  await expect(bob.page.getByRole("status", { name: "Connection: offline" })).toBeVisible();
  await clickButton(bob.page).click(); // kept in bob's queue
  await clickButton(alice.page).click(); // bob misses its notification
  await expectTotal([alice.page], 1);

  await bob.context.setOffline(false);
  // bob's queued click is sent and alice's missed one is replayed: both see 2.
  await expectTotal([alice.page, bob.page], 2);
});
