// Who may see a game, live: non-members get the 404 page and no bus access; inviting (by name or
// link), removing, renaming and deleting reach every member's open pages and lobby at once.
import { io, type Socket } from "socket.io-client";
import { expect, test } from "./fixtures";
import {
  addMember,
  apiClicks,
  apiToken,
  clickButton,
  createGame,
  expectTotal,
  fetchGame,
  gameHeading,
  leaderboard,
  lobbyCard,
  myGames,
  openGame,
  openLobby,
  postClicks,
  sessionCookie,
  uniqueName,
} from "./game-helpers";

test("a non-member gets the same 404 page as for a missing game, and her socket is denied the game", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const carol = await asUser(await createUser("carol"));
  const game = await createGame(server.url, alice, uniqueName("Secret"));

  const forbidden = await carol.page.goto(`/games/${game.id}`);
  expect(forbidden?.status()).toBe(404);
  await expect(carol.page.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await expect(carol.page.getByText(game.name)).toHaveCount(0);
  const forbiddenText = await carol.page.getByRole("main").innerText();

  const missing = await carol.page.goto(`/games/${game.id + 1_000_000}`);
  expect(missing?.status()).toBe(404);
  await expect(carol.page.getByRole("heading", { level: 1 })).toHaveText("Not found");
  expect(await carol.page.getByRole("main").innerText()).toBe(forbiddenText);

  // carol's own socket (her session cookie, same origin) is denied the channel, exactly as for a
  // game that does not exist.
  const socket: Socket = io(server.url, {
    path: "/socket.io",
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie: await sessionCookie(carol.context), origin: server.url },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    const ack = await socket
      .timeout(5000)
      .emitWithAck("subscribe", { channels: [`game:${game.id}`, `game:${game.id + 1_000_000}`] });
    expect(ack).toMatchObject({ granted: [], denied: [`game:${game.id}`, `game:${game.id + 1_000_000}`] });
  } finally {
    socket.disconnect();
  }

  // carol's lobby is live but never hears of alice's game: activity on it does not list it, while
  // a later game she is invited to does appear (so the lobby was listening all along).
  await openLobby(carol.page);
  await openGame(alice.page, game.id);
  await clickButton(alice.page).click();
  await expectTotal([alice.page], 1);
  const invitedTo = await createGame(server.url, alice, uniqueName("Open"));
  await addMember(server.url, alice, invitedTo.id, carol.user.username);
  await expect(lobbyCard(carol.page, invitedTo.name)).toBeVisible();
  await expect(myGames(carol.page).getByRole("listitem")).toHaveCount(1);
  await expect(lobbyCard(carol.page, game.name)).toHaveCount(0);
});

test("an invite by username shows the game in the invitee's open lobby at once, and she can play", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const carol = await asUser(await createUser("carol"));
  const game = await createGame(server.url, alice, uniqueName("Workshop"));
  await openLobby(carol.page);
  await expect(lobbyCard(carol.page, game.name)).toHaveCount(0);
  await openGame(alice.page, game.id);

  const owner = alice.page.getByRole("region", { name: "Owner controls" });
  await owner.getByLabel("Invite by username").fill(carol.user.username);
  await owner.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(owner.getByRole("status").filter({ hasText: "joined the game" })).toHaveText(
    `${carol.user.username} joined the game.`,
  );

  // carol's lobby, open all along and never reloaded, now lists the game.
  await expect(lobbyCard(carol.page, game.name)).toBeVisible();
  await expect(leaderboard(alice.page).getByLabel(`${carol.user.username} clicks`)).toHaveText("0");

  await lobbyCard(carol.page, game.name).click();
  await expect(carol.page).toHaveURL(new RegExp(`/games/${game.id}$`));
  await expect(carol.page.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  await expect(gameHeading(carol.page)).toHaveText(game.name);
  await clickButton(carol.page).click();
  await expectTotal([alice.page, carol.page], 1);
  await expect(leaderboard(alice.page).getByLabel(`${carol.user.username} clicks`)).toHaveText("1");
});

test("a removed member's page says so at once, stops updating and refuses clicks; the game leaves his lobby", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice, uniqueName("Team"));
  await addMember(server.url, alice, game.id, bob.user.username);
  const bobToken = await apiToken(server.url, bob);

  const aliceTab = alice.page;
  const aliceWatcher = await alice.newTab();
  const bobGame = bob.page;
  const bobLobby = await bob.newTab();
  for (const tab of [aliceTab, aliceWatcher, bobGame]) await openGame(tab, game.id);
  await openLobby(bobLobby);
  await expect(lobbyCard(bobLobby, game.name)).toBeVisible();

  await clickButton(bobGame).click();
  await expectTotal([aliceTab, aliceWatcher, bobGame], 1);

  await aliceTab.getByRole("button", { name: `Remove ${bob.user.username}` }).click();
  await expect(bobGame.getByRole("alert").filter({ hasText: "You were removed from this game." })).toBeVisible();
  await expect(clickButton(bobGame)).toBeDisabled();
  await expect(lobbyCard(bobLobby, game.name)).toHaveCount(0);
  for (const tab of [aliceTab, aliceWatcher])
    await expect(leaderboard(tab).getByLabel(`${bob.user.username} clicks`)).toHaveCount(0);

  // alice plays on: her other tab (a plain listener, like bob's page was) sees it, bob's does not.
  await clickButton(aliceTab).click();
  await clickButton(aliceTab).click();
  await expectTotal([aliceWatcher], 3);
  await expectTotal([bobGame], 1);
  expect((await fetchGame(server.url, await apiToken(server.url, alice), game.id)).total).toBe(3);

  // bob's clicks are refused by the server too, as if the game did not exist; nothing is counted.
  const refused = await postClicks(server.url, bobToken, game.id, 1);
  expect(refused.status).toBe(404);
  await expectTotal([aliceWatcher], 3);
  await bobGame.reload();
  await expect(bobGame.getByRole("heading", { level: 1 })).toHaveText("Not found");
});

test("a rename reaches every tab at once, and deleting the game ends the other members' pages", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const bob = await asUser(await createUser("bob"));
  const game = await createGame(server.url, alice, uniqueName("Before"));
  await addMember(server.url, alice, game.id, bob.user.username);
  const aliceTab1 = alice.page;
  const aliceTab2 = await alice.newTab();
  const bobGame = bob.page;
  const bobLobby = await bob.newTab();
  const gameTabs = [aliceTab1, aliceTab2, bobGame];
  for (const tab of gameTabs) await openGame(tab, game.id);
  await openLobby(bobLobby);

  const renamed = uniqueName("After");
  const owner = aliceTab1.getByRole("region", { name: "Owner controls" });
  await owner.getByLabel("Game name").fill(renamed);
  await owner.getByRole("button", { name: "Rename" }).click();
  for (const tab of gameTabs) await expect(gameHeading(tab)).toHaveText(renamed);
  await expect(lobbyCard(bobLobby, renamed)).toBeVisible();
  await expect(bobGame.getByRole("list", { name: "Activity" })).toContainText(`renamed the game to “${renamed}”`);

  await owner.getByRole("button", { name: "Delete game…" }).click();
  await owner.getByRole("group", { name: "Confirm deletion" }).getByRole("button", { name: "Yes, delete" }).click();
  // The owner lands in the lobby; the other members are told where they are.
  await expect(aliceTab1).toHaveURL(/\/$/);
  for (const tab of [aliceTab2, bobGame]) {
    await expect(tab.getByRole("alert").filter({ hasText: "This game was deleted by its owner." })).toBeVisible();
    await expect(clickButton(tab)).toBeDisabled();
  }
  await expect(lobbyCard(bobLobby, renamed)).toHaveCount(0);
  const gone = await fetch(`${server.url}/api/games/${game.id}`, {
    headers: { authorization: `Bearer ${await apiToken(server.url, bob)}` },
  });
  expect(gone.status).toBe(404);
});

test("an invite link never joins by itself: a signed-in non-member joins only when she presses Join", async ({
  server,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const carol = await asUser(await createUser("carol"));
  const game = await createGame(server.url, alice, uniqueName("Linked"));
  await openGame(alice.page, game.id);

  const owner = alice.page.getByRole("region", { name: "Owner controls" });
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const linkField = owner.getByLabel("Invite link");
  await expect(linkField).toHaveValue(new RegExp(`^${server.url.replaceAll(".", "\\.")}/join/[A-Za-z0-9_-]{16,64}$`));
  const link = await linkField.inputValue();

  const carolToken = await apiToken(server.url, carol);
  await carol.page.goto(link);
  // Opening the link (a GET) shows the game and a Join button, and changes nothing.
  await expect(carol.page.getByRole("heading", { level: 1, name: game.name })).toBeVisible();
  const join = carol.page.getByRole("button", { name: "Join", exact: true });
  await expect(join).toBeVisible();
  await carol.page.reload();
  await expect(join).toBeVisible();
  const before = await fetch(`${server.url}/api/games/${game.id}`, {
    headers: { authorization: `Bearer ${carolToken}` },
  });
  expect(before.status).toBe(404);
  await expect(leaderboard(alice.page).getByLabel(`${carol.user.username} clicks`)).toHaveCount(0);

  await join.click();
  await expect(carol.page).toHaveURL(new RegExp(`/games/${game.id}$`));
  await expect(gameHeading(carol.page)).toHaveText(game.name);
  await expect(carol.page.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  await expect(leaderboard(alice.page).getByLabel(`${carol.user.username} clicks`)).toHaveText("0");

  // She is a full member now: her click is counted and reaches alice.
  await clickButton(carol.page).click();
  await expectTotal([alice.page, carol.page], 1);
  expect(await apiClicks(server.url, carolToken, game.id, 1)).toBe(2);

  // A member opening the link again goes straight to the game.
  await carol.page.goto(link);
  await expect(carol.page).toHaveURL(new RegExp(`/games/${game.id}$`));
});
