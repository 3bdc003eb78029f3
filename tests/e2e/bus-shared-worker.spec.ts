// One connection per browser (docs/protocol.md#one-connection-per-browser): every tab of a
// signed-in user shares the SharedWorker's one socket, live delivery and presence work through it,
// and the socket goes with the last tab.
import type { Route } from "@playwright/test";
import { expectTransport, loggedTallies } from "./bus-helpers";
import { expect, test } from "./fixtures";
import {
  addMember,
  apiClicks,
  apiToken,
  clickButton,
  createGame,
  expectTotal,
  fetchGame,
  hereNow,
  leaderboard,
  openGame,
  totalOf,
} from "./game-helpers";
import { expectSockets } from "./socket-count";

test("five tabs of one user hold one socket, all live; the last tab closing drops the socket and the presence", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);

  const aliceTabs = [alice.page];
  for (let i = 1; i < 5; i += 1) aliceTabs.push(await alice.newTab());
  for (const tab of aliceTabs) await openGame(tab, game.id);
  await expectTransport(aliceTabs[0]!, "shared");
  await expectSockets(server.metricsUrl, 1);
  await expect(hereNow(aliceTabs[4]!)).toHaveText([alice.user.username]);

  const bobTab = bob.page;
  await openGame(bobTab, game.id);
  await expectSockets(server.metricsUrl, 2);
  const both = [alice.user.username, bob.user.username].sort((a, b) => a.localeCompare(b));
  for (const tab of [...aliceTabs, bobTab]) await expect(hereNow(tab)).toHaveText(both);

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

test("a tab opened late on a channel the worker follows replays exactly what followed its own render", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const game = await createGame(server.url, alice);
  const token = await apiToken(server.url, alice);
  const first = alice.page;
  await openGame(first, game.id);
  // One notification per API call (clicks in the page would be batched into fewer).
  await apiClicks(server.url, token, game.id, 1);
  await apiClicks(server.url, token, game.id, 1);
  await expectTotal([first], 2);

  // The second tab's page is rendered (total 2, and its cursor) but its scripts are held, so it
  // listens only after two more clicks went by on the worker's socket.
  const late = await alice.newTab();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const hold = async (route: Route) => {
    await held;
    await route.continue();
  };
  await late.route("**/_next/static/chunks/**", hold);
  // "commit": the held scripts keep the load events from firing; the rendered total is enough.
  await late.goto(`/games/${game.id}`, { waitUntil: "commit" });
  await expect(totalOf(late)).toHaveText("2");
  await apiClicks(server.url, token, game.id, 1);
  await apiClicks(server.url, token, game.id, 1);
  await expectTotal([first], 4);
  await expect(totalOf(late)).toHaveText("2");

  release();
  await expect(late.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  await expectTotal([late], 4);
  await expectTransport(late, "shared");
  await expectTransport(first, "shared");
  // No more, no less: the late tab logged the tallies after its render (totals above its 2), the
  // first tab all of them. How many tallies four clicks make depends on the conflation window.
  await expect.poll(async () => (await loggedTallies(first)).at(-1)?.total).toBe(4);
  const all = await loggedTallies(first);
  expect(all.map((tally) => tally.total)).toEqual([...all.map((tally) => tally.total)].sort((a, b) => a - b));
  await expect
    .poll(async () => (await loggedTallies(late)).map((tally) => tally.id))
    .toEqual(all.filter((tally) => tally.total > 2).map((tally) => tally.id));
  await expectSockets(server.metricsUrl, 1);
});

test("offline clicks through the worker are kept, the socket goes, and back online they count exactly once", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice);
  await addMember(server.url, alice, game.id, bob.user.username);
  const token = await apiToken(server.url, alice);
  const aliceTabs = [alice.page, await alice.newTab()];
  for (const tab of [...aliceTabs, bob.page]) await openGame(tab, game.id);
  await expectTransport(alice.page, "shared");
  await expectSockets(server.metricsUrl, 2);
  await clickButton(alice.page).click();
  await expectTotal([...aliceTabs, bob.page], 1);

  // alice's browser goes offline: the worker closes its socket (the server sees it go).
  await alice.context.setOffline(true);
  for (const tab of aliceTabs) await expect(tab.getByRole("status", { name: "Connection: offline" })).toBeVisible();
  await expectSockets(server.metricsUrl, 1);
  for (let i = 0; i < 4; i += 1) await clickButton(aliceTabs[1]!).click();
  await expect(totalOf(aliceTabs[1]!)).toHaveText("5");
  await expect(aliceTabs[1]!.getByText("4 clicks saved — will send when back online")).toBeVisible();
  await clickButton(bob.page).click();
  await clickButton(bob.page).click();
  await expectTotal([bob.page], 3);
  await expect(bob.page.getByText(/Sending \d+ clicks?…|\d+ clicks? queued/)).toHaveCount(0);
  expect((await fetchGame(server.url, token, game.id)).total).toBe(3);

  // Back online: one socket again, bob's clicks replayed to both tabs, alice's counted once.
  await alice.context.setOffline(false);
  await expectSockets(server.metricsUrl, 2);
  await expect(aliceTabs[1]!.getByText(/clicks? saved|Sending|clicks? queued/)).toHaveCount(0, { timeout: 15_000 });
  await expectTotal([...aliceTabs, bob.page], 7);
  expect((await fetchGame(server.url, token, game.id)).total).toBe(7);
  for (const tab of aliceTabs) {
    await expect(leaderboard(tab).getByLabel(`${alice.user.username} clicks`)).toHaveText("5");
    await expect(leaderboard(tab).getByLabel(`${bob.user.username} clicks`)).toHaveText("2");
  }
});
