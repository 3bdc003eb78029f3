// Where a browser has no SharedWorker (Chrome on Android, some embedded browsers) every tab
// plays on a socket of its own, exactly as before the shared connection: live clicks, presence
// counted once per user, and the bus log says so.
import { expectTransport } from "./bus-helpers";
import { expect, test } from "./fixtures";
import { addMember, clickButton, createGame, expectTotal, hereNow, openGame } from "./game-helpers";
import { expectSockets } from "./socket-count";

test("without SharedWorker each tab has its own socket and the game plays as usual", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  await alice.context.addInitScript(() => {
    Reflect.deleteProperty(window, "SharedWorker");
  });
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  const aliceTabs = [alice.page, await alice.newTab()];
  for (const tab of [...aliceTabs, bob.page]) await openGame(tab, game.id);
  for (const tab of aliceTabs) await expectTransport(tab, "tab");
  await expectTransport(bob.page, "shared");
  // alice's two tabs, two sockets; bob's browser, one.
  await expectSockets(server.metricsUrl, 3);
  const both = [alice.user.username, bob.user.username].sort((a, b) => a.localeCompare(b));
  for (const tab of [...aliceTabs, bob.page]) await expect(hereNow(tab)).toHaveText(both);

  await clickButton(aliceTabs[0]!).click();
  await expectTotal([...aliceTabs, bob.page], 1);
  await clickButton(bob.page).click();
  await expectTotal([...aliceTabs, bob.page], 2);
  // Each click was answered before the next: two commits, two tallies (leading edge, then the window's).
  await expect(aliceTabs[1]!.getByRole("list", { name: "Bus log" }).getByText(/ tally /)).toHaveCount(2);

  await aliceTabs[0]!.close();
  await expectSockets(server.metricsUrl, 2);
  await expect(hereNow(bob.page)).toHaveText(both);
  await aliceTabs[1]!.close();
  await expectSockets(server.metricsUrl, 1);
  await expect(hereNow(bob.page)).toHaveText([bob.user.username]);
});
