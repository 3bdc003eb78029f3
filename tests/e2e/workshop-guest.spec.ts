// Workshop guests: a phone that is not signed in opens the invite link, joins as a guest with
// one tap and clicks (a taken nickname is a clear field error), and the owner's presenter screen
// shows the QR code of that link, then the guest, the guest's clicks and the new total; the guest
// then keeps the account with a password.
import { devices } from "@playwright/test";
import { signIn } from "../support/session";
import { expect, test } from "./fixtures";
import { clickButton, createGame, expectTotal, gameHeading, inviteLink, openGame, uniqueName } from "./game-helpers";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const phone = {
  viewport: devices["Pixel 7"].viewport,
  userAgent: devices["Pixel 7"].userAgent,
  isMobile: true,
  hasTouch: true,
};

test("a signed-out phone joins as a guest through the invite link and clicks", async ({
  server,
  browser,
  createUser,
  asUser,
}) => {
  const alice = await asUser(await createUser("alice"));
  const game = await createGame(server.url, alice, uniqueName("Room"));
  const path = await inviteLink(server.url, alice, game.id);
  await openGame(alice.page, game.id);
  const presenter = await alice.newTab();
  await presenter.goto(`/games/${game.id}/present`);
  await expect(presenter.getByRole("status", { name: "Connection: connected" })).toBeVisible();
  await expect(
    presenter.getByRole("img", { name: new RegExp(`^QR code of the invite link ${escapeRegExp(server.url + path)}$`) }),
  ).toBeVisible();
  await expect(presenter.getByText(`${new URL(server.url).host}${path}`)).toBeVisible();
  await expect(presenter.getByRole("status", { name: "Total clicks" })).toHaveText("0");

  const guestContext = await browser.newContext({ ...phone, baseURL: server.url });
  try {
    const guest = await guestContext.newPage();
    await guest.goto(path);
    await expect(guest.getByRole("heading", { level: 1, name: game.name })).toBeVisible();
    // A taken nickname stays on the form, with the error on the field.
    const nickname = guest.getByLabel("Nickname");
    await nickname.fill(alice.user.username);
    await guest.getByRole("button", { name: "Join as guest" }).tap();
    await expect(nickname).toHaveAccessibleDescription(/That nickname is taken/);
    await expect(nickname).toHaveAttribute("aria-invalid", "true");

    await nickname.fill("Phone-Guest");
    await guest.getByRole("button", { name: "Join as guest" }).tap();
    await expect(guest).toHaveURL(new RegExp(`/games/${game.id}$`));
    await expect(gameHeading(guest)).toHaveText(game.name);
    await expect(guest.getByRole("status", { name: "Connection: connected" })).toBeVisible();
    await clickButton(guest).tap();
    await clickButton(guest).tap();
    await expectTotal([guest, alice.page], 2);
    await expect(alice.page.getByRole("list", { name: "Leaderboard" }).getByLabel("phone-guest clicks")).toHaveText(
      "2",
    );

    // The presenter screen follows the same channel: the guest is in the top ten and here.
    await expect(presenter.getByRole("status", { name: "Total clicks" })).toHaveText("2");
    await expect(presenter.getByRole("list", { name: "Top ten" }).getByLabel("phone-guest clicks")).toHaveText("2");
    // alice's game tab and the guest's phone; the presenter screen itself only watches.
    await expect(presenter.getByRole("status", { name: "Players here" })).toHaveText("2");

    // The guest keeps the account by setting a password in Settings, and can then sign in anywhere.
    await guest.getByRole("link", { name: "Settings" }).tap();
    const keep = guest.getByRole("region", { name: "Keep your guest account" });
    await keep.getByLabel("New password").fill("phone-guest-password");
    await keep.getByRole("button", { name: "Set password" }).tap();
    await expect(keep.getByRole("status")).toHaveText(/Password set/);
    await expect(signIn(server.url, "phone-guest", "phone-guest-password")).resolves.toMatchObject({
      sessionToken: expect.any(String),
    });
  } finally {
    await guestContext.close();
  }
});
