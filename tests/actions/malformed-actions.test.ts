// Integration: malformed arguments posted straight to the game's server actions, even with the
// owner's own session, are refused without changing anything or crashing an action (no
// "action failed" in the server log), a click batch counts once however often it is replayed,
// and the server keeps serving afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CLICKS_PER_BATCH } from "@/lib/games/schemas";
import { startTestServer, type TestServer } from "../support/server";
import {
  actionId,
  actionResult,
  form,
  formState,
  refusalOf,
  valueOf,
  createdState,
  type ActionAnswer,
  type ActionArg,
  type Json,
} from "./action-client";
import { gameCount, snapshot, world, type World } from "./game-state";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

/** Where the server's log stands now, so a test reads only what it caused. */
const logMark = (): number => server.output().length;

/** The node still answers, and no action crashed on input since `mark` (runAction logs "action failed"). */
async function expectHealthy(mark: number): Promise<void> {
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  expect(server.output().slice(mark)).not.toContain("action failed");
}

function expectNoValue(answer: ActionAnswer): void {
  if (answer.outcome.kind === "value") refusalOf(answer);
  else expect(["error", "unparsable"]).toContain(answer.outcome.kind);
}

const badGameIds = (gameId: number): Json[] => [
  "abc",
  `0${gameId}`,
  `${gameId}.0`,
  ` ${gameId}`,
  `${gameId} `,
  `-${gameId}`,
  "1e3",
  `0x${gameId.toString(16)}`,
  `$${gameId}`,
  "99999999999999999",
  "9007199254740993",
  "",
  -gameId,
  0,
  gameId + 0.5,
  2 ** 53,
  1e308,
  null,
  true,
  {},
  [gameId],
  { gameId },
];

/** Each game action with the caller who could use it with a good id (bob leaves; alice does the rest). */
const gameActions: [string, (gameId: Json, w: World) => ActionArg[], "alice" | "bob"][] = [
  ["addClicksAction", (gameId) => [{ gameId, count: 5, batchId: "malformed-0001" }], "alice"],
  ["renameGameAction", (gameId) => [gameId, {}, form({ name: "Renamed" })], "alice"],
  ["inviteMemberAction", (gameId, w) => [gameId, {}, form({ username: w.carol.username })], "alice"],
  ["removeMemberAction", (gameId, w) => [gameId, w.bob.id], "alice"],
  ["leaveGameAction", (gameId) => [gameId], "bob"],
  ["deleteGameAction", (gameId) => [gameId], "alice"],
  ["regenerateInviteLinkAction", (gameId) => [gameId], "alice"],
  ["revokeInviteLinkAction", (gameId) => [gameId], "alice"],
];

describe("malformed game ids", () => {
  it.each(gameActions)(
    "%s refuses every malformed id from a caller allowed to use the game",
    async (name, args, actor) => {
      const w = await world(server);
      const mark = logMark();
      const before = await snapshot(server.database, w.gameId);
      for (const gameId of badGameIds(w.gameId)) {
        const refusal = refusalOf(await w.games(name, args(gameId, w), { cookie: w[actor].cookie }));
        expect({ gameId, error: refusal.error ?? refusal.message }).toEqual({
          gameId,
          error: expect.stringMatching(/^(not_found|invalid|Game not found\.)$/),
        });
      }
      expect(await snapshot(server.database, w.gameId)).toEqual(before);
      await expectHealthy(mark);
    },
  );
});

describe("malformed click batches", () => {
  it("refuses bad counts, bad batch ids, missing and extra fields, and non-object input", async () => {
    const w = await world(server);
    const mark = logMark();
    const { gameId } = w;
    const good = { gameId, count: 5, batchId: "good-batch-0001" };
    const inputs: Json[] = [
      { ...good, count: 0 },
      { ...good, count: -1 },
      { ...good, count: MAX_CLICKS_PER_BATCH + 1 },
      { ...good, count: 1e308 },
      { ...good, count: 1.5 },
      { ...good, count: "5" },
      { ...good, count: null },
      { gameId, batchId: good.batchId },
      { ...good, batchId: "short" },
      { ...good, batchId: "has spaces in it" },
      { ...good, batchId: "x".repeat(65) },
      { ...good, batchId: "../../etc/passwd" },
      { ...good, batchId: "" },
      { ...good, batchId: 12345678 },
      { gameId, count: 5 },
      { ...good, total: 1_000_000 },
      { ...good, userId: w.bob.id },
      null,
      "gameId",
      [good],
      42,
    ];
    const before = await snapshot(server.database, gameId);
    for (const input of inputs) {
      const refusal = refusalOf(await w.games("addClicksAction", [input], { cookie: w.alice.cookie }));
      expect({ input, error: refusal.error }).toEqual({ input, error: "invalid" });
    }
    expect(refusalOf(await w.games("addClicksAction", [], { cookie: w.alice.cookie })).error).toBe("invalid");
    expect(await snapshot(server.database, gameId)).toEqual(before);

    const capped = valueOf(
      await w.games("addClicksAction", [{ ...good, count: MAX_CLICKS_PER_BATCH }], { cookie: w.alice.cookie }),
      actionResult,
    );
    expect(capped).toEqual({
      ok: true,
      value: { total: 5 + MAX_CLICKS_PER_BATCH, counted: true, paceMs: expect.any(Number) },
    });
    await expectHealthy(mark);
  });

  it("counts a replayed batchId once, sequentially, concurrently and with another count", async () => {
    const { games, alice, gameId } = await world(server);
    const mark = logMark();
    const batch = { gameId, count: 7, batchId: "replayed-batch-0001" };
    expect(valueOf(await games("addClicksAction", [batch], { cookie: alice.cookie }), actionResult)).toEqual({
      ok: true,
      value: { total: 12, counted: true, paceMs: expect.any(Number) },
    });
    expect(valueOf(await games("addClicksAction", [batch], { cookie: alice.cookie }), actionResult)).toEqual({
      ok: true,
      value: { total: 12, counted: false, paceMs: expect.any(Number) },
    });
    const again = await Promise.all(
      [1, 2, 3, 4].map(() => games("addClicksAction", [{ ...batch, count: 9 }], { cookie: alice.cookie })),
    );
    for (const answer of again)
      expect(valueOf(answer, actionResult)).toEqual({
        ok: true,
        value: { total: 12, counted: false, paceMs: expect.any(Number) },
      });
    const after = await snapshot(server.database, gameId);
    expect(after.game?.total).toBe(12);
    expect(after.batches).toBe(3);
    await expectHealthy(mark);
  });

  it("never reads extra arguments: only the first input is counted", async () => {
    const { games, alice, gameId } = await world(server);
    const mark = logMark();
    const extra = { gameId, count: MAX_CLICKS_PER_BATCH, batchId: "second-argument-01" };
    const answer = valueOf(
      await games("addClicksAction", [{ gameId, count: 1, batchId: "first-argument-01" }, extra, "x"], {
        cookie: alice.cookie,
      }),
      actionResult,
    );
    expect(answer).toEqual({ ok: true, value: { total: 6, counted: true, paceMs: expect.any(Number) } });
    expect(await snapshot(server.database, gameId)).toMatchObject({ game: { total: 6 }, batches: 3 });
    await expectHealthy(mark);
  });
});

describe("hand-made bodies", () => {
  it.each<[string, string]>([
    ["text that is not JSON", "not json"],
    ["an empty body", ""],
    ["a truncated array", "["],
    ["an object instead of the argument list", '{"gameId":1,"count":5,"batchId":"raw-batch-0001"}'],
    ["a reference to a part that was never sent", '["$@5"]'],
    ["a server reference in place of the input", '["$h1"]'],
    ["deep nesting", `${"[".repeat(5000)}${"]".repeat(5000)}`],
  ])("addClicksAction refuses %s", async (_label, rawBody) => {
    const w = await world(server);
    const mark = logMark();
    const before = await snapshot(server.database, w.gameId);
    expectNoValue(await w.games("addClicksAction", [], { cookie: w.alice.cookie, rawBody }));
    expect(await snapshot(server.database, w.gameId)).toEqual(before);
    await expectHealthy(mark);
  });

  it("refuses a body over the 1 MB limit", async () => {
    const w = await world(server);
    const mark = logMark();
    const before = await snapshot(server.database, w.gameId);
    const rawBody = JSON.stringify([
      { gameId: w.gameId, count: 5, batchId: "big-batch-0001", pad: "x".repeat(1_100_000) },
    ]);
    // Posted to the page that has the action: posted elsewhere, Next forwards the body to that
    // page over a keep-alive connection to itself, the limit destroys that connection mid-body,
    // and the next forwarded action of any caller fails with ECONNRESET (an answer of `{}`).
    const answer = await w.games("addClicksAction", [], {
      cookie: w.alice.cookie,
      rawBody,
      page: `/games/${w.gameId}`,
    });
    // Next rejects it while reading the body (its 1 MB default) and answers with an error row.
    expect(answer.outcome).toEqual({ kind: "error" });
    expect(server.output().slice(mark)).toContain("Body exceeded 1 MB limit");
    expect(await snapshot(server.database, w.gameId)).toEqual(before);
    await expectHealthy(mark);
  });
});

describe("form arguments that are not a FormData", () => {
  const notForms: Json[] = [null, "name=Evil", { name: "Evil" }, { username: "Evil" }, ["Evil"], 42];

  it.each([
    ["renameGameAction", (gameId: number, formArg: Json): Json[] => [gameId, {}, formArg]],
    ["inviteMemberAction", (gameId: number, formArg: Json): Json[] => [gameId, {}, formArg]],
  ])("%s refuses them from the owner as invalid", async (name, args) => {
    const w = await world(server);
    const mark = logMark();
    const before = await snapshot(server.database, w.gameId);
    for (const formArg of notForms) {
      const state = valueOf(await w.games(name, args(w.gameId, formArg), { cookie: w.alice.cookie }), formState);
      expect({ formArg, ok: state.ok, message: state.message }).toEqual({
        formArg,
        ok: false,
        message: expect.stringMatching(/^Invalid input/),
      });
    }
    expect(refusalOf(await w.games(name, [w.gameId], { cookie: w.alice.cookie })).message).toMatch(/^Invalid input/);
    expect(await snapshot(server.database, w.gameId)).toEqual(before);
    await expectHealthy(mark);
  });

  it("createGameAction refuses them and creates no game", async () => {
    const w = await world(server);
    const mark = logMark();
    const games = await gameCount(server.database);
    for (const formArg of [...notForms, undefined]) {
      const args: Json[] = formArg === undefined ? [{}] : [{}, formArg];
      expect(refusalOf(await w.games("createGameAction", args, { cookie: w.alice.cookie })).message).toMatch(
        /^Invalid input/,
      );
    }
    expect(await gameCount(server.database)).toBe(games);
    const made = await w.games("createGameAction", [{}, form({ name: "Made by action" })], { cookie: w.alice.cookie });
    const madeId = valueOf(made, createdState).gameId;
    expect((await snapshot(server.database, madeId)).game).toMatchObject({
      name: "Made by action",
      ownerId: w.alice.id,
    });
    expect(await gameCount(server.database)).toBe(games + 1);
    await expectHealthy(mark);
  });

  it("an object whose get is another (bound) server action does not call that action", async () => {
    const w = await world(server);
    const mark = logMark();
    const before = await snapshot(server.database, w.gameId);
    // React decodes `$h1` into removeMemberAction bound to (game, bob): calling formData.get("name")
    // on it would remove bob with alice's session.
    const body = new FormData();
    body.append("2", JSON.stringify([w.gameId, w.bob.id]));
    body.append("1", JSON.stringify({ id: actionId("app/actions/games.ts", "removeMemberAction"), bound: "$@2" }));
    body.append("0", JSON.stringify([w.gameId, {}, { get: "$h1" }]));
    const answer = await w.games("renameGameAction", [], {
      cookie: w.alice.cookie,
      rawBody: body,
      page: `/games/${w.gameId}`,
    });
    expect(valueOf(answer, formState)).toMatchObject({ ok: false, message: expect.stringMatching(/^Invalid input/) });
    // A called gadget would run after its own session check, once this answer is out; a later
    // request's own session check and write put it behind that, before the database is read.
    const later = await w.games("regenerateInviteLinkAction", [w.gameId], {
      cookie: w.alice.cookie,
      page: `/games/${w.gameId}`,
    });
    const after = await snapshot(server.database, w.gameId);
    expect(valueOf(later, actionResult)).toEqual({ ok: true, value: after.game?.inviteCode });
    expect(after.members).toEqual(before.members);
    expect(after.activities).toBe(before.activities);
    await expectHealthy(mark);
  });
});
