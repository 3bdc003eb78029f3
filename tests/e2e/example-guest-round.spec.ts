// Example for docs/testing.md: a guest on a phone joins through an invite link with the asGuest
// fixture, and a 5 s round ends, by the server, with the guest on the podium.
import { devices } from "@playwright/test";
import { expect, test } from "./fixtures";
import { clickButton, createGame, expectTotal, inviteLink, openGame } from "./game-helpers";

test("a guest joins from a phone and wins a 5 s round", async ({ server, asUser, asGuest }) => {
  const owner = await asUser();
  const game = await createGame(server.url, owner);
  const path = await inviteLink(server.url, owner, game.id);
  const { viewport, userAgent } = devices["Pixel 7"];
  const guest = await asGuest(path, { context: { viewport, userAgent, isMobile: true, hasTouch: true } }); // a unique nickname
  await openGame(owner.page, game.id);
  await expect(guest.page.getByRole("status", { name: "Connection: connected" })).toBeVisible();

  const round = owner.page.getByRole("region", { name: "Round" });
  await round.getByLabel("Round length (seconds)").fill("5");
  await round.getByRole("button", { name: "Start round" }).click();
  await expect(guest.page.getByRole("timer", { name: "Round ends in" })).toBeVisible(); // round_started arrived
  await clickButton(guest.page).tap();
  await clickButton(guest.page).tap();
  await expectTotal([owner.page, guest.page], 2);

  // The server ends the round; waiting for its round_ended is waiting for the podium to appear
  // (the expect timeout, 10 s, is longer than the round).
  for (const page of [owner.page, guest.page]) {
    await expect(page.getByRole("list", { name: "Podium" }).getByRole("listitem")).toHaveText([
      new RegExp(`${guest.nickname}\\s*2 clicks`),
    ]);
  }
});
