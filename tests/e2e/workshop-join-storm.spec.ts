// A guest who taps Join while the game's join burst is spent is not sent away: the join page
// says it will try again and lands on the game by itself once the link's bucket has refilled.
// Runs its own node with a burst of one join and one more every ten seconds: slow enough that a
// loaded machine cannot refill the bucket between the other phone's join and this tap.
import { z } from "zod";
import { signUpAndSignIn } from "../support/session";
import { startTestServer, type TestServer } from "../support/server";
import { expect, test } from "./fixtures";

let node: TestServer;

test.beforeAll(async () => {
  node = await startTestServer({ GUEST_JOIN_BURST: "1", GUEST_JOINS_PER_SECOND: "0.1" });
});

test.afterAll(async () => {
  await node?.stop();
});

async function post(
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${node.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

test("a guest refused while the room fills up is let in automatically, without tapping again", async ({ browser }) => {
  const { cookie } = await signUpAndSignIn(node.url, `storm-host-${process.pid % 10000}`);
  const owner = { cookie, origin: node.url };
  const game = z.object({ id: z.number() }).parse((await post("/api/games", owner, { name: "Storm" })).body);
  const { path } = z.object({ path: z.string() }).parse((await post(`/api/games/${game.id}/invite-link`, owner)).body);
  const code = path.slice("/join/".length);

  const context = await browser.newContext({ baseURL: node.url });
  try {
    const page = await context.newPage();
    await page.goto(path);
    // Another phone takes the link's only join just before this one taps.
    expect((await post(`/api/invites/${code}/guests`, {}, { nickname: "first-phone" })).status).toBe(201);
    await page.getByLabel("Nickname").fill("second-phone");
    await page.getByRole("button", { name: "Join as guest" }).click();
    await expect(page.getByRole("status").filter({ hasText: /Joining you automatically in \d+ s/ })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/games/${game.id}$`), { timeout: 30_000 });
    await expect(page.getByText("Signed in as second-phone")).toBeVisible();
  } finally {
    await context.close();
  }
});
