// Takes the README's screenshots: lobby and game page at desktop and phone width, as alice
// in a fresh demo database, with bob clicking in another tab so the page shows live data.
import { chromium } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { CHROMIUM_ARGS, resolveChromium } from "../tests/support/chromium";
import { startTestServer } from "../tests/support/server";
import { signIn } from "../tests/support/session";

const OUT = "docs/screenshots";

const server = await startTestServer({ CLICKBUS_DEMO: "1" });
const browser = await chromium.launch({ executablePath: resolveChromium() ?? undefined, args: [...CHROMIUM_ARGS] });
try {
  mkdirSync(OUT, { recursive: true });
  const sizes = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } };
  const bob = await signIn(server.url, "bob", "clickbus-demo");
  const bobContext = await browser.newContext();
  await bobContext.addCookies([{ name: "authjs.session-token", value: bob.sessionToken, url: server.url }]);
  const bobPage = await bobContext.newPage();
  await bobPage.goto(`${server.url}/games/1`);
  for (let index = 0; index < 12; index += 1) await bobPage.getByRole("button", { name: "Click!" }).click();

  const alice = await signIn(server.url, "alice", "clickbus-demo");
  for (const [name, viewport] of Object.entries(sizes)) {
    const context = await browser.newContext({ viewport });
    await context.addCookies([{ name: "authjs.session-token", value: alice.sessionToken, url: server.url }]);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByText("Players online").waitFor();
    await page.screenshot({ path: `${OUT}/lobby-${name}.png`, fullPage: true });
    await page.goto(`${server.url}/games/1`);
    await page.getByRole("list", { name: "Here now" }).getByText("bob").waitFor();
    for (let index = 0; index < 5; index += 1) await page.getByRole("button", { name: "Click!" }).click();
    await page.getByText("Bus log").click();
    await page.getByRole("list", { name: "Bus log" }).getByText("tally").first().waitFor();
    await page.screenshot({ path: `${OUT}/game-${name}.png`, fullPage: true });
    await context.close();
  }
  const signInPage = await (await browser.newContext({ viewport: sizes.phone })).newPage();
  await signInPage.goto(`${server.url}/sign-in`);
  await signInPage.screenshot({ path: `${OUT}/sign-in-phone.png`, fullPage: true });
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await server.stop();
}
