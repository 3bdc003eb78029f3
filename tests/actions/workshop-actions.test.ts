// Integration: the workshop's server actions posted by hand (they are public POST endpoints).
// Rounds are the owner's (a member is forbidden, anyone else gets "not found", like a missing
// game), arguments are validated, an invite link joins only with a real form post of a valid
// code, a guest join never touches a signed-in session, and only a guest can set a first password.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { storedRow } from "../support/stored-rows";
import { startTestServer, type TestServer } from "../support/server";
import {
  actionCaller,
  actionResult,
  form,
  refusalOf,
  valueOf,
  type ActionArg,
  type ActionCaller,
  type Json,
} from "./action-client";
import { MISSING_GAME_ID, snapshot, world, type World } from "./game-state";

let server: TestServer;
let rounds: ActionCaller;

beforeAll(async () => {
  server = await startTestServer();
  rounds = actionCaller(server.url, "app/actions/rounds.ts");
});

afterAll(() => server?.stop());

async function count(query: string, ...params: number[]): Promise<number> {
  return z.object({ n: z.number() }).parse(await storedRow(server.database, query, ...params)).n;
}

const roundsOf = (gameId: number) => count("select count(*) as n from rounds where game_id = ?", gameId);
const started = actionResult.and(z.object({ value: z.object({ id: z.number() }) }));

describe("startRoundAction and endRoundAction", () => {
  let w: World;
  beforeAll(async () => {
    w = await world(server);
  });

  it("refuse every caller but the owner, and a missing game exactly like a foreign one", async () => {
    const refusal = async (gameId: Json, cookie: string) =>
      refusalOf(await rounds("startRoundAction", [gameId, 30], { cookie })).error;
    expect(await refusal(w.gameId, w.carol.cookie)).toBe("not_found");
    expect(await refusal(MISSING_GAME_ID, w.carol.cookie)).toBe("not_found");
    expect(await refusal(w.gameId, w.bob.cookie)).toBe("forbidden");
    for (const gameId of ["abc", `0${w.gameId}`, -1, null, { gameId: w.gameId }])
      expect(await refusal(gameId, w.alice.cookie)).toBe("not_found");
    expect(refusalOf(await rounds("startRoundAction", [w.gameId, 30])).error).toBe("unauthorized");
    expect(await roundsOf(w.gameId)).toBe(0);
  });

  it("validate the length: whole seconds from 5 to 600", async () => {
    for (const seconds of [4, 601, 30.5, "30", null, { seconds: 30 }, [30]] satisfies Json[]) {
      expect(refusalOf(await rounds("startRoundAction", [w.gameId, seconds], { cookie: w.alice.cookie })).error).toBe(
        "invalid",
      );
    }
    expect(await roundsOf(w.gameId)).toBe(0);
  });

  it("end only the game's own running round, for its owner", async () => {
    const round = valueOf(await rounds("startRoundAction", [w.gameId, 600], { cookie: w.alice.cookie }), started).value
      .id;
    const before = await snapshot(server.database, w.gameId);
    const end = async (roundId: Json, cookie: string, gameId: Json = w.gameId) =>
      refusalOf(await rounds("endRoundAction", [gameId, roundId], { cookie })).error;
    expect(await end(round, w.carol.cookie)).toBe("not_found");
    expect(await end(round, w.bob.cookie)).toBe("forbidden");
    for (const roundId of ["x", 0, -round, `${round}.0`, null, round + 1000])
      expect(await end(roundId, w.alice.cookie)).toBe("not_found");
    // A round id of alice's own game, given with another game of hers, is no round of that game.
    const other = (await world(server)).gameId;
    expect(await end(round, w.alice.cookie, other)).toBe("not_found");
    expect(await snapshot(server.database, w.gameId)).toEqual(before);

    expect(
      valueOf(await rounds("endRoundAction", [w.gameId, round], { cookie: w.alice.cookie }), actionResult),
    ).toEqual({ ok: true });
    expect(await end(round, w.alice.cookie)).toBe("conflict");
  });
});

describe("joinGameAction", () => {
  it("joins only with a real form post of a valid code", async () => {
    const w = await world(server);
    const code = z
      .object({ inviteCode: z.string() })
      .parse((await snapshot(server.database, w.gameId)).game).inviteCode;
    const members = async () => (await snapshot(server.database, w.gameId)).members.length;
    const join = (arg: ActionArg) => w.games("joinGameAction", [{}, arg], { cookie: w.carol.cookie });
    expect(refusalOf(await join(form({ code: "A".repeat(24) }))).message).toBe(
      "This invite link is not valid any more.",
    );
    expect(refusalOf(await join({ code })).message).toBe("This invite link is not valid any more.");
    expect(refusalOf(await join(null)).message).toBe("This invite link is not valid any more.");
    expect(await members()).toBe(2);
    const joined = await join(form({ code }));
    expect(joined.outcome).toEqual({ kind: "redirect", location: `/games/${w.gameId}` });
    expect(await members()).toBe(3);
  });
});

describe("joinAsGuestAction", () => {
  const users = () => count("select count(*) as n from users");

  it("creates nobody from a signed-in session, a malformed argument or a bad code", async () => {
    const w = await world(server);
    const code = z
      .object({ inviteCode: z.string() })
      .parse((await snapshot(server.database, w.gameId)).game).inviteCode;
    const guests = actionCaller(server.url, "app/actions/guests.ts");
    const before = await users();
    const state = async (arg: ActionArg, cookie?: string) =>
      valueOf(await guests("joinAsGuestAction", [{}, arg], { cookie }), z.object({ message: z.string() })).message;
    expect(await state(form({ code, nickname: "sneaky-guest" }), w.carol.cookie)).toMatch(/signed in already/);
    expect(await state({ code, nickname: "sneaky-guest" })).toBe("This invite link is not valid any more.");
    expect(await state(form({ code: "B".repeat(24), nickname: "sneaky-guest" }))).toBe(
      "This invite link is not valid any more.",
    );
    expect(await users()).toBe(before);
    const joined = await guests("joinAsGuestAction", [{}, form({ code, nickname: "real-guest" })]);
    // Auth.js signs the new guest in and redirects (to an absolute URL) to the game.
    expect(joined.outcome).toEqual({ kind: "redirect", location: `${server.url}/games/${w.gameId}` });
    expect(await users()).toBe(before + 1);
  });
});

describe("setGuestPasswordAction", () => {
  it("is for guests only, and for a signed-in caller", async () => {
    const w = await world(server);
    const settings = actionCaller(server.url, "app/actions/settings.ts");
    const answer = async (cookie?: string, password = "a-long-password") =>
      (await settings("setGuestPasswordAction", [{}, form({ password })], { cookie })).outcome;
    expect(await answer(w.carol.cookie)).toMatchObject({
      kind: "value",
      value: { ok: false, message: "This account has a password already." },
    });
    expect(await answer(undefined)).toMatchObject({
      kind: "value",
      value: { ok: false, message: "Your session has ended. Sign in again." },
    });
    expect(await answer(w.carol.cookie, "short")).toMatchObject({
      kind: "value",
      value: { ok: false, errors: { password: ["Password must be at least 8 characters."] } },
    });
  });
});
