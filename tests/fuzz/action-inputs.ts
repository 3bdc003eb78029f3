// What the action fuzz posts: one of the app's server actions with arguments built from the
// action's own shape (ids of the world's records, form fields), mostly valid with one thing bent,
// or anything at all, or a hand-made body React's decoder must refuse; as one of the world's
// players, a stranger or a forged session. Records are resolved against the world when sent.
import fc from "fast-check";
import type { Json } from "../actions/action-client";
import { oddNumber, oddString } from "./fuzz-values";

export type Of = "main" | "foreign" | "missing";
/** One argument: a record's id, a JSON value, a plain object of arguments, or a FormData. */
export type ArgSpec =
  | { ref: "game" | "user" | "token" | "round"; of: Of }
  | { json: Json }
  | { fields: Record<string, ArgSpec> }
  | { form: Record<string, FieldSpec> };
/** A form field: text, a player's username, or an invite link's code. */
export type FieldSpec = { text: string } | { username: Of } | { code: Of };
export type ActionCallerChoice = "owner" | "member" | "outsider" | "anonymous" | "forged";

export type ActionInput = {
  file: string;
  action: string;
  args: ArgSpec[];
  caller: ActionCallerChoice;
  rawBody?: string;
};

type ActionSpec = { file: string; action: string; weight: number; args: () => fc.Arbitrary<ArgSpec[]> };

const of = fc.constantFrom<Of>("main", "main", "foreign", "missing");
/** fast-check's JSON, whose objects may hold `undefined`, as the action client's JSON. */
function toJson(value: fc.JsonValue | undefined): Json {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(item)]));
  return value;
}

/** JSON only (what React's encodeReply carries as plain values): odd numbers become null or stay. */
const json: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(toJson) },
  { weight: 2, arbitrary: oddNumber.map((value): Json => (Number.isFinite(value) ? value : null)) },
  { weight: 2, arbitrary: oddString },
  // Deep arrays for React's decoder; described briefly in a report (fast-check's printer recurses).
  {
    weight: 1,
    // Below the depth where the client's own JSON.stringify overflows; the raw bodies go deeper.
    arbitrary: fc.integer({ min: 50, max: 1500 }).map((depth): Json => {
      let value: Json[] = ["x"];
      for (let level = 1; level < depth; level += 1) value = [value];
      return Object.assign(value, { [fc.toStringMethod]: () => `[ × ${depth} around "x"]` });
    }),
  },
);
const odd: fc.Arbitrary<ArgSpec> = json.map((value) => ({ json: value }));
const ref = (kind: "game" | "user" | "token" | "round") =>
  fc.oneof(
    { weight: 4, arbitrary: of.map((which): ArgSpec => ({ ref: kind, of: which })) },
    { weight: 1, arbitrary: odd },
  );
const text = (valid: fc.Arbitrary<string>): fc.Arbitrary<FieldSpec> =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: oddString }).map((value) => ({ text: value }));
const state = fc.oneof({ weight: 4, arbitrary: fc.constant<ArgSpec>({ json: {} }) }, { weight: 1, arbitrary: odd });
const form = (fields: Record<string, fc.Arbitrary<FieldSpec>>) =>
  fc.record(fields, { requiredKeys: [] }).map((chosen): ArgSpec => ({
    form: Object.fromEntries(
      Object.entries(chosen).filter((entry): entry is [string, FieldSpec] => entry[1] !== undefined),
    ),
  }));
const word = fc.stringMatching(/^[a-z][a-z0-9_]{2,15}$/);
const username = fc.oneof(
  { weight: 3, arbitrary: of.map((which): FieldSpec => ({ username: which })) },
  { weight: 1, arbitrary: text(word) },
);
const code = fc.oneof(
  { weight: 3, arbitrary: of.map((which): FieldSpec => ({ code: which })) },
  { weight: 1, arbitrary: text(fc.stringMatching(/^[A-Za-z0-9_-]{16,24}$/)) },
);
/** A valid round outlives the run (a round ending in the background would write during another input). */
const seconds = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 550, max: 600 }).map((value): ArgSpec => ({ json: value })) },
  { weight: 2, arbitrary: odd },
);

const GAMES = "app/actions/games.ts";
const SETTINGS = "app/actions/settings.ts";
const AUTH = "app/actions/auth.ts";

/** Each action with its argument shape; signing in and up hash passwords, so they come rarely. */
const ACTIONS: ActionSpec[] = [
  {
    file: GAMES,
    action: "addClicksAction",
    weight: 6,
    args: () =>
      fc.tuple(
        fc
          .record(
            {
              gameId: ref("game"),
              count: fc.oneof(
                fc.integer({ min: 1, max: 500 }).map((value): ArgSpec => ({ json: value })),
                odd,
              ),
              batchId: fc.oneof(
                fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/).map((value): ArgSpec => ({ json: value })),
                odd,
              ),
            },
            { requiredKeys: [] },
          )
          .map((fields): ArgSpec => ({
            fields: Object.fromEntries(
              Object.entries(fields).filter((entry): entry is [string, ArgSpec] => entry[1] !== undefined),
            ),
          })),
      ),
  },
  {
    file: GAMES,
    action: "createGameAction",
    weight: 2,
    args: () => fc.tuple(state, form({ name: text(fc.constantFrom("Fuzzed", "x".repeat(60))) })),
  },
  {
    file: GAMES,
    action: "renameGameAction",
    weight: 3,
    args: () => fc.tuple(ref("game"), state, form({ name: text(fc.constantFrom("Renamed", "x".repeat(60))) })),
  },
  {
    file: GAMES,
    action: "inviteMemberAction",
    weight: 3,
    args: () => fc.tuple(ref("game"), state, form({ username })),
  },
  { file: GAMES, action: "removeMemberAction", weight: 2, args: () => fc.tuple(ref("game"), ref("user")) },
  { file: GAMES, action: "leaveGameAction", weight: 1, args: () => fc.tuple(ref("game")) },
  { file: GAMES, action: "deleteGameAction", weight: 1, args: () => fc.tuple(ref("game")) },
  { file: GAMES, action: "regenerateInviteLinkAction", weight: 2, args: () => fc.tuple(ref("game")) },
  { file: GAMES, action: "revokeInviteLinkAction", weight: 1, args: () => fc.tuple(ref("game")) },
  { file: GAMES, action: "joinGameAction", weight: 2, args: () => fc.tuple(state, form({ code })) },
  { file: "app/actions/rounds.ts", action: "startRoundAction", weight: 2, args: () => fc.tuple(ref("game"), seconds) },
  {
    file: "app/actions/rounds.ts",
    action: "endRoundAction",
    weight: 2,
    args: () => fc.tuple(ref("game"), ref("round")),
  },
  {
    file: SETTINGS,
    action: "createTokenAction",
    weight: 2,
    args: () => fc.tuple(state, form({ name: text(fc.constantFrom("script", "x".repeat(64))) })),
  },
  { file: SETTINGS, action: "revokeTokenAction", weight: 2, args: () => fc.tuple(ref("token")) },
  { file: SETTINGS, action: "signOutEverywhereAction", weight: 1, args: () => fc.constant([]) },
  {
    file: SETTINGS,
    action: "setGuestPasswordAction",
    weight: 1,
    args: () => fc.tuple(state, form({ password: text(fc.constant("correct-horse-battery")) })),
  },
  {
    file: AUTH,
    action: "signInAction",
    weight: 1,
    args: () =>
      fc.tuple(
        state,
        form({
          username,
          password: text(fc.constant("correct-horse-battery")),
          redirectTo: text(fc.constantFrom("/", "//evil.example", "https://evil.example", "/games/1")),
        }),
      ),
  },
  {
    file: AUTH,
    action: "signUpAction",
    weight: 1,
    args: () => fc.tuple(state, form({ username: text(word), password: text(fc.constant("correct-horse-battery")) })),
  },
  { file: AUTH, action: "signOutAction", weight: 1, args: () => fc.constant([]) },
  {
    file: "app/actions/guests.ts",
    action: "joinAsGuestAction",
    weight: 1,
    args: () => fc.tuple(state, form({ code, nickname: text(word) })),
  },
];

/** Bodies React's decoder has to refuse or take literally: references to rows that are not there. */
const rawBody = fc.oneof(
  fc.constantFrom(
    "",
    "{",
    "[",
    "[]",
    '["$@1"]',
    '["$K1"]',
    '["$Q1"]',
    '["$T"]',
    '["$F1"]',
    '["$h1"]',
    '["$B1"]',
    '["$n1"]',
    '["$D1"]',
    '["$Z"]',
    '["$undefined","$NaN","$-0","$Infinity"]',
    '{"0":1}',
    "null",
    `[${"[".repeat(5000)}"x"${"]".repeat(5000)}]`,
  ),
  oddString,
);

const caller = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<ActionCallerChoice>("owner", "member") },
  { weight: 2, arbitrary: fc.constantFrom<ActionCallerChoice>("outsider", "anonymous", "forged") },
);

export const actionInput: fc.Arbitrary<ActionInput> = fc.oneof(
  ...ACTIONS.map((spec) => ({
    weight: spec.weight,
    arbitrary: fc.record({
      file: fc.constant(spec.file),
      action: fc.constant(spec.action),
      args: fc.oneof({ weight: 8, arbitrary: spec.args() }, { weight: 2, arbitrary: fc.array(odd, { maxLength: 4 }) }),
      caller,
      rawBody: fc.option(rawBody, { freq: 12, nil: undefined }),
    }),
  })),
);
