// The per-user budget for changes other than clicks: a flood of renames through the API is cut
// off with 429 and Retry-After, the refused ones change nothing, other users are not held back,
// and invalid input costs nothing from the budget.
import { afterAll, beforeAll, expect, it } from "vitest";
import { errorAnswer, gameDetails, gameSummary } from "./answers";
import { call, newPlayer, type Player } from "./api-client";
import { startTestServer, type TestServer } from "../support/server";

const MUTATION_BURST = 40;
let server: TestServer;
let alice: Player;
let bob: Player;

beforeAll(async () => {
  server = await startTestServer({ MUTATION_BURST: String(MUTATION_BURST) });
  [alice, bob] = await Promise.all([newPlayer(server.url, "alice"), newPlayer(server.url, "bob")]);
});
afterAll(() => server?.stop());

it("cuts a flood of renames off with 429, keeps the last accepted name, and leaves other users alone", async () => {
  const gameId = gameSummary.parse(
    (await call(server.url, alice.browser, "POST", "/api/games", { json: { name: "Flooded" } })).body,
  ).id;
  // Invalid names are refused before the budget is touched.
  for (let index = 0; index < 10; index += 1)
    expect(
      (await call(server.url, alice.browser, "PATCH", `/api/games/${gameId}`, { json: { name: "" } })).status,
    ).toBe(400);

  const answers = [];
  for (let index = 0; index < MUTATION_BURST + 10; index += 1)
    answers.push(
      await call(server.url, alice.browser, "PATCH", `/api/games/${gameId}`, { json: { name: `Name ${index}` } }),
    );
  const accepted = answers.flatMap((answer, index) => (answer.status === 200 ? [index] : []));
  const refused = answers.filter((answer) => answer.status === 429);
  // The game's creation spent one; the invalid ones none.
  expect(accepted.length).toBeGreaterThanOrEqual(MUTATION_BURST - 1);
  expect(refused.length).toBeGreaterThan(0);
  expect(accepted.length + refused.length).toBe(answers.length);
  for (const answer of refused) {
    expect(errorAnswer.parse(answer.body).error).toBe("rate_limited");
    expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  }
  expect(gameDetails.parse((await call(server.url, alice.browser, "GET", `/api/games/${gameId}`)).body).name).toBe(
    `Name ${accepted.at(-1)}`,
  );
  expect((await call(server.url, bob.browser, "POST", "/api/games", { json: { name: "Bob's own" } })).status).toBe(201);
});
