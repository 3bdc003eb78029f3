// Shared helpers of the game specs: the HTTP API as a signed-in user or an API token
// (docs/api.md#authentication), and role/label locators for the lobby and the game page.
import { randomBytes } from "node:crypto";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import { z } from "zod";
import type { UserSession } from "./fixtures";

const gameSummary = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  ownerId: z.number().int(),
  total: z.number().int(),
});
const gameDetails = gameSummary.extend({
  members: z.array(z.object({ id: z.number(), username: z.string(), clicks: z.number() })),
});
const createdToken = z.object({ token: z.string().min(1) });

export type GameDetails = z.infer<typeof gameDetails>;

/** A name no other test (or rerun) uses, so substring matches on it are unambiguous. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${randomBytes(4).toString("hex")}`;
}

/** The `name=value` session cookie of a browser context, as a script would send it. */
export async function sessionCookie(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((candidate) => candidate.name === "authjs.session-token");
  if (!cookie) throw new Error("the context carries no session cookie");
  return `${cookie.name}=${cookie.value}`;
}

/** Calls the API with the session's cookie and a same-origin Origin, as the browser would. */
async function asSession(
  baseUrl: string,
  session: UserSession,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: { cookie: await sessionCookie(session.context), origin: baseUrl, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function expectStatus(response: Response, status: number, what: string): Promise<Response> {
  if (response.status !== status)
    throw new Error(`${what}: expected ${status}, got ${response.status} ${await response.text()}`);
  return response;
}

/** POST /api/games as the session's user; the game is theirs. */
export async function createGame(
  baseUrl: string,
  owner: UserSession,
  name = uniqueName("Game"),
): Promise<z.infer<typeof gameSummary>> {
  const response = await expectStatus(
    await asSession(baseUrl, owner, "POST", "/api/games", { name }),
    201,
    "POST /api/games",
  );
  return gameSummary.parse(await response.json());
}

/** POST /api/games/:id/members as the owner. */
export async function addMember(baseUrl: string, owner: UserSession, gameId: number, username: string): Promise<void> {
  await expectStatus(
    await asSession(baseUrl, owner, "POST", `/api/games/${gameId}/members`, { username }),
    201,
    "POST members",
  );
}

/** POST /api/games/:id/invite-link as the owner: the path of a fresh invite link (/join/<code>). */
export async function inviteLink(baseUrl: string, owner: UserSession, gameId: number): Promise<string> {
  const response = await expectStatus(
    await asSession(baseUrl, owner, "POST", `/api/games/${gameId}/invite-link`),
    201,
    "POST invite-link",
  );
  return z.object({ path: z.string() }).parse(await response.json()).path;
}

/** POST /api/tokens with the session cookie: an API token for curl-style calls. */
export async function apiToken(baseUrl: string, session: UserSession): Promise<string> {
  const response = await expectStatus(
    await asSession(baseUrl, session, "POST", "/api/tokens", { name: "e2e" }),
    201,
    "POST /api/tokens",
  );
  return createdToken.parse(await response.json()).token;
}

/** POST /api/games/:id/clicks with a bearer token; returns the raw response. */
export function postClicks(
  baseUrl: string,
  token: string,
  gameId: number,
  count: number,
  batchId = randomBytes(12).toString("hex"),
): Promise<Response> {
  return fetch(`${baseUrl}/api/games/${gameId}/clicks`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ count, batchId }),
  });
}

/** Like postClicks, but must succeed; answers the new total. */
export async function apiClicks(baseUrl: string, token: string, gameId: number, count: number): Promise<number> {
  const response = await expectStatus(await postClicks(baseUrl, token, gameId, count), 200, "POST clicks");
  return z.object({ total: z.number() }).parse(await response.json()).total;
}

/** GET /api/games/:id with a bearer token: the server's view of the game. */
export async function fetchGame(baseUrl: string, token: string, gameId: number): Promise<GameDetails> {
  const response = await expectStatus(
    await fetch(`${baseUrl}/api/games/${gameId}`, { headers: { authorization: `Bearer ${token}` } }),
    200,
    "GET game",
  );
  return gameDetails.parse(await response.json());
}

// ---- Locators -------------------------------------------------------------------------------

export const totalOf = (page: Page) => page.getByRole("status", { name: "Total clicks" });
export const clickButton = (page: Page) => page.getByRole("button", { name: "Click!" });
export const leaderboard = (page: Page) => page.getByRole("list", { name: "Leaderboard" });
export const hereNow = (page: Page) => page.getByRole("list", { name: "Here now" }).getByRole("listitem");
export const myGames = (page: Page) => page.getByRole("list", { name: "My games" });
export const gameHeading = (page: Page) => page.getByRole("heading", { level: 1 });

/** Opens the game page and waits until it is hydrated and its socket is live. */
export async function openGame(page: Page, gameId: number): Promise<void> {
  await page.goto(`/games/${gameId}`);
  await expect(page.getByRole("status", { name: "Connection: connected" })).toBeVisible();
}

/** Opens the lobby (its lists follow the bus from the render's cursor, so no wait is needed). */
export async function openLobby(page: Page): Promise<void> {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Lobby" })).toBeVisible();
}

/** Waits until every page shows `total` as the game's total. */
export async function expectTotal(pages: Page[], total: number): Promise<void> {
  const text = total.toLocaleString("en");
  await Promise.all(pages.map((page) => expect(totalOf(page)).toHaveText(text)));
}

/** The lobby card (a link) of a game, found by its unique name. */
export const lobbyCard = (page: Page, name: string) => myGames(page).getByRole("link", { name });
