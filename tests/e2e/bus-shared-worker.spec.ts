// One connection per browser (SPEC §5): every tab of a signed-in user shares the SharedWorker's
// one socket, live delivery and presence work through it, and the socket goes with the last tab.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { addMember, clickButton, createGame, expectTotal, hereNow, openGame } from "./game-helpers";
import { expectSockets } from "./socket-count";

/** The transport the tab's bus log reports ("shared" or "tab"). */
export async function expectTransport(page: Page, transport: "shared" | "tab"): Promise<void> {
  await page.getByText(/^Bus log/).click();
  await expect(page.getByRole("status", { name: "Bus transport" })).toHaveText(new RegExp(`^${transport} `));
}

test("five tabs of one user hold one socket, all live; the last tab closing drops the socket and the presence", async ({ server, createUser, asUser }) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);

  const aliceTabs = [alice.page];
  for (let i = 1; i < 5; i += 1) aliceTabs.push(await alice.newTab());
  for (const tab of aliceTabs) await openGame(tab, game.id);
  await expectTransport(aliceTabs[0]!, "shared");
  await expectSockets(server.metricsUrl, 1);

  const bobTab = bob.page;
  await openGame(bobTab, game.id);
  await expectSockets(server.metricsUrl, 2);
  const both = [alice.user.username, bob.user.username].sort((a, b) => a.localeCompare(b));
  await expect(hereNow(bobTab)).toHaveText(both);

  // A click by another user reaches all five tabs through the one socket.
  await clickButton(bobTab).click();
  await expectTotal([...aliceTabs, bobTab], 1);

  // Four tabs closing leave the fifth live, on the same socket, and alice still present.
  const last = aliceTabs.pop()!;
  for (const tab of aliceTabs) await tab.close();
  await clickButton(bobTab).click();
  await expectTotal([last, bobTab], 2);
  await clickButton(last).click();
  await expectTotal([last, bobTab], 3);
  await expectSockets(server.metricsUrl, 2);
  await expect(hereNow(bobTab)).toHaveText(both);

  // The last tab closing closes the connection: the socket and alice's presence go within seconds.
  await last.close();
  await expectSockets(server.metricsUrl, 1, 8000);
  await expect(hereNow(bobTab)).toHaveText([bob.user.username], { timeout: 8000 });
});
