// Takes the workshop screenshots of docs/workshop.md and the README: the presenter screen with a
// crowd on it (`npm run crowd`, 40 bots) at 1920×1080 during a round and at 1280×720 with the
// podium, and the invite link's join page on a phone. Run after `npm run build`.
import { chromium, type Page } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { z } from "zod";
import { CHROMIUM_ARGS, resolveChromium } from "../tests/support/chromium";
import { startTestServer } from "../tests/support/server";
import { signIn } from "../tests/support/session";

const OUT = "docs/screenshots";
const CROWD = 40;

const server = await startTestServer({ CLICKBUS_DEMO: "1" });
const browser = await chromium.launch({ executablePath: resolveChromium() ?? undefined, args: [...CHROMIUM_ARGS] });
const alice = await signIn(server.url, "alice", "clickbus-demo");
const asAlice = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: alice.cookie, origin: server.url, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const { path } = z.object({ path: z.string() }).parse(await (await asAlice("POST", "/api/games/1/invite-link")).json());
// `npm run crowd`'s script, started without npm in between so that the SIGINT at the end reaches
// it (npm exits at once on a signal sent to it alone, and the bots would stay in the game).
const crowd = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "scripts/crowd.ts",
    "--url",
    `${server.url}${path}`,
    "--players",
    String(CROWD),
    "--rate",
    "2",
    "--duration",
    "600",
  ],
  { stdio: "ignore" },
);
const crowdGone = new Promise((resolve) => crowd.once("exit", resolve));

async function presenter(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ name: "authjs.session-token", value: alice.sessionToken, url: server.url }]);
  const page = await context.newPage();
  await page.goto(`${server.url}/games/1/present`);
  await page
    .getByRole("status", { name: "Players here" })
    .filter({ hasText: String(CROWD) })
    .waitFor({ timeout: 60_000 });
  return page;
}

try {
  mkdirSync(OUT, { recursive: true });
  const big = await presenter({ width: 1920, height: 1080 });
  const round = z
    .object({ id: z.number() })
    .parse(await (await asAlice("POST", "/api/games/1/rounds", { seconds: 90 })).json());
  // Let the chart fill and the ranking move for a while, as it would in the room.
  await big.waitForTimeout(8000);
  await big.screenshot({ path: `${OUT}/present-1920x1080.png`, animations: "disabled" });

  const small = await presenter({ width: 1280, height: 720 });
  await asAlice("POST", `/api/games/1/rounds/${round.id}/end`);
  await small.getByRole("list", { name: "Podium" }).waitFor();
  await small.screenshot({ path: `${OUT}/present-1280x720.png`, animations: "disabled" });

  const phone = await (
    await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  ).newPage();
  await phone.goto(`${server.url}${path}`);
  await phone.getByRole("button", { name: "Join as guest" }).waitFor();
  await phone.screenshot({ path: `${OUT}/join-phone.png`, fullPage: true });
  console.log(`workshop screenshots written to ${OUT}/`);
} finally {
  crowd.kill("SIGINT");
  await crowdGone;
  await browser.close();
  await server.stop();
}
