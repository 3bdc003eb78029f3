// Integration: the game's server actions, posted by hand against a production server as an
// attacker would, authorize inside. A non-member gets exactly the answer a missing game gets,
// a player cannot use the owner's controls, a forged Origin or a missing session is refused,
// and the database (game, members, batches, activity, bus notifications) shows no change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import {
  actionResult,
  comparable,
  form,
  formState,
  refusalOf,
  valueOf,
  type ActionArg,
  type Json,
} from "./action-client";
import { MISSING_GAME_ID, snapshot, world, type World } from "./game-state";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

type ArgsFor = (gameId: Json, w: World) => ActionArg[];

/** Every game action, with arguments that would change alice's game if the caller were allowed. */
const gameActions: [string, ArgsFor][] = [
  ["addClicksAction", (gameId) => [{ gameId, count: 5, batchId: "attack-batch-0001" }]],
  ["renameGameAction", (gameId) => [gameId, {}, form({ name: "Hijacked" })]],
  ["inviteMemberAction", (gameId, w) => [gameId, {}, form({ username: w.carol.username })]],
  ["removeMemberAction", (gameId, w) => [gameId, w.bob.id]],
  ["leaveGameAction", (gameId) => [gameId]],
  ["deleteGameAction", (gameId) => [gameId]],
  ["regenerateInviteLinkAction", (gameId) => [gameId]],
  ["revokeInviteLinkAction", (gameId) => [gameId]],
];

const OWNER_ONLY = [
  "renameGameAction",
  "inviteMemberAction",
  "removeMemberAction",
  "deleteGameAction",
  "regenerateInviteLinkAction",
  "revokeInviteLinkAction",
];

describe("the owner's own calls (the harness can see a change)", () => {
  it("renames, invites, removes, clicks, regenerates and revokes the link", async () => {
    const w = await world(server);
    const { games, alice, bob, carol, gameId } = w;
    const before = await snapshot(server.database, gameId);
    expect(before.game).toMatchObject({ name: "Workshop", total: 5, inviteCode: expect.any(String) });

    const renamed = valueOf(
      await games("renameGameAction", [gameId, {}, form({ name: "Renamed" })], { cookie: alice.cookie }),
      formState,
    );
    expect(renamed).toMatchObject({ ok: true });
    expect((await snapshot(server.database, gameId)).game?.name).toBe("Renamed");

    expect(
      valueOf(
        await games("inviteMemberAction", [gameId, {}, form({ username: carol.username })], { cookie: alice.cookie }),
        formState,
      ),
    ).toMatchObject({ ok: true });
    expect(
      valueOf(await games("removeMemberAction", [gameId, bob.id], { cookie: alice.cookie }), actionResult),
    ).toEqual({ ok: true });
    expect((await snapshot(server.database, gameId)).members.map((member) => member.userId)).toEqual(
      [alice.id, carol.id].sort((a, b) => a - b),
    );

    const clicked = valueOf(
      await games("addClicksAction", [{ gameId, count: 7, batchId: "owner-batch-0001" }], { cookie: alice.cookie }),
      actionResult,
    );
    expect(clicked).toEqual({ ok: true, value: { total: 12, counted: true, paceMs: expect.any(Number) } });

    const regenerated = valueOf(
      await games("regenerateInviteLinkAction", [gameId], { cookie: alice.cookie }),
      actionResult,
    );
    const after = await snapshot(server.database, gameId);
    expect(regenerated).toEqual({ ok: true, value: after.game?.inviteCode });
    expect(after.game?.inviteCode).not.toBe(before.game?.inviteCode);
    expect(after.game?.total).toBe(12);

    expect(valueOf(await games("revokeInviteLinkAction", [gameId], { cookie: alice.cookie }), actionResult)).toEqual({
      ok: true,
    });
    expect((await snapshot(server.database, gameId)).game?.inviteCode).toBeNull();
  });

  it("lets a player leave and the owner delete, both redirecting home", async () => {
    const { games, alice, bob, gameId } = await world(server);
    const owners = (await games("leaveGameAction", [gameId], { cookie: alice.cookie })).outcome;
    expect(owners).toEqual({ kind: "value", value: expect.objectContaining({ ok: false, error: "conflict" }) });

    expect((await games("leaveGameAction", [gameId], { cookie: bob.cookie })).outcome).toEqual({
      kind: "redirect",
      location: "/",
    });
    expect((await snapshot(server.database, gameId)).members.map((member) => member.userId)).toEqual([alice.id]);

    expect((await games("deleteGameAction", [gameId], { cookie: alice.cookie })).outcome).toEqual({
      kind: "redirect",
      location: "/",
    });
    expect(await snapshot(server.database, gameId)).toMatchObject({ game: null, members: [] });
  });
});

describe("a non-member (carol) with alice's game id", () => {
  it.each(gameActions)("%s answers exactly as for a missing game and changes nothing", async (name, args) => {
    const w = await world(server);
    const { games, carol, gameId } = w;
    const before = await snapshot(server.database, gameId);

    const missing = await games(name, args(MISSING_GAME_ID, w), {
      cookie: carol.cookie,
      page: `/games/${MISSING_GAME_ID}`,
    });
    const real = await games(name, args(gameId, w), { cookie: carol.cookie, page: `/games/${gameId}` });
    const spelled = await games(name, args(String(gameId), w), { cookie: carol.cookie, page: `/games/${gameId}` });

    const refusal = refusalOf(real);
    expect(refusal.message).toBe("Game not found.");
    if (refusal.error !== undefined) expect(refusal.error).toBe("not_found");
    expect(comparable(real)).toEqual(comparable(missing));
    expect(comparable(spelled)).toEqual(comparable(missing));
    expect(await snapshot(server.database, gameId)).toEqual(before);
  });
});

describe("a player who is not the owner (bob)", () => {
  const ownerActions = gameActions.filter(([name]) => OWNER_ONLY.includes(name));

  it.each(ownerActions)("cannot use %s on the game", async (name, args) => {
    const w = await world(server);
    const before = await snapshot(server.database, w.gameId);
    const callArgs = name === "removeMemberAction" ? [w.gameId, w.alice.id] : args(w.gameId, w);
    const refusal = refusalOf(await w.games(name, callArgs, { cookie: w.bob.cookie, page: `/games/${w.gameId}` }));
    if (refusal.error === undefined) expect(refusal.message).toBe("Only the game's owner can do that.");
    else expect(refusal.error).toBe("forbidden");
    expect(await snapshot(server.database, w.gameId)).toEqual(before);
  });

  it("cannot remove another player, and leaving takes only himself whatever extra arguments say", async () => {
    const w = await world(server);
    const { games, alice, bob, carol, gameId } = w;
    expect(
      valueOf(
        await games("inviteMemberAction", [gameId, {}, form({ username: carol.username })], { cookie: alice.cookie }),
        formState,
      ),
    ).toMatchObject({ ok: true });
    const before = await snapshot(server.database, gameId);
    expect(refusalOf(await games("removeMemberAction", [gameId, carol.id], { cookie: bob.cookie })).error).toBe(
      "forbidden",
    );
    expect(await snapshot(server.database, gameId)).toEqual(before);

    expect((await games("leaveGameAction", [gameId, carol.id, alice.id], { cookie: bob.cookie })).outcome).toEqual({
      kind: "redirect",
      location: "/",
    });
    expect((await snapshot(server.database, gameId)).members.map((member) => member.userId)).toEqual(
      [alice.id, carol.id].sort((a, b) => a - b),
    );
  });
});

describe("requests a browser would not make for alice", () => {
  const forged = ["https://evil.example", "null", "http://127.0.0.1:1"];

  it.each(gameActions)("%s with alice's session but a forged Origin is refused before it runs", async (name, args) => {
    const w = await world(server);
    const before = await snapshot(server.database, w.gameId);
    for (const origin of forged) {
      const answer = await w.games(name, args(w.gameId, w), {
        cookie: w.alice.cookie,
        origin,
        page: `/games/${w.gameId}`,
      });
      // Refused by the node before Next (which would answer 500): lib/server/request-guard.ts.
      expect({ origin, status: answer.status, text: answer.text }).toEqual({
        origin,
        status: 403,
        text: expect.stringMatching(/^Refused: /),
      });
    }
    expect(await snapshot(server.database, w.gameId)).toEqual(before);
  });

  it.each(gameActions)("%s without a valid session is refused", async (name, args) => {
    const w = await world(server);
    const before = await snapshot(server.database, w.gameId);
    for (const cookie of [
      undefined,
      "authjs.session-token=forged",
      `authjs.session-token=${w.alice.cookie.slice(-20)}`,
    ]) {
      const refusal = refusalOf(await w.games(name, args(w.gameId, w), { cookie, page: `/games/${w.gameId}` }));
      expect(refusal.message).toBe("Your session has ended. Sign in again.");
      if (refusal.error !== undefined) expect(refusal.error).toBe("unauthorized");
    }
    expect(await snapshot(server.database, w.gameId)).toEqual(before);
  });
});
