// Calls Next.js server actions the way an attacker can: a hand-made POST with a `Next-Action`
// id taken from the build's manifest, arguments encoded as React's `encodeReply` does, and the
// action's answer read back out of the RSC flight stream.
import { z } from "zod";
import { actionId } from "@/lib/server/action-manifest";

export { actionId };

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** An action argument: a JSON value, or a FormData (what a `<form action>` passes). */
export type ActionArg = Json | FormData;

/** React escapes strings that start with "$" so they cannot be read as references. */
function escapeStrings(value: Json): Json {
  if (typeof value === "string") return value.startsWith("$") ? `$${value}` : value;
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeStrings(item)]));
  return value;
}

/**
 * The request body React's client sends for `args`: plain JSON text, or, when an argument is a
 * FormData, multipart with that form's fields under `_<part>_` and the root row "0" last (the
 * server decodes the root as soon as it arrives, so the parts must come first).
 */
export function encodeArgs(args: ActionArg[]): { body: string | FormData; contentType?: string } {
  if (!args.some((arg) => arg instanceof FormData))
    return {
      body: JSON.stringify(args.map((arg) => escapeStrings(arg as Json))),
      contentType: "text/plain;charset=UTF-8",
    };
  const body = new FormData();
  let part = 0;
  const root = args.map((arg) => {
    if (!(arg instanceof FormData)) return escapeStrings(arg);
    part += 1;
    for (const [key, value] of arg.entries()) body.append(`_${part}_${key}`, value);
    return `$K${part.toString(16)}`;
  });
  body.append("0", JSON.stringify(root));
  return { body };
}

export function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
}

/** What came back: the action's return value, a thrown error, a redirect, or no such action. */
export type Outcome =
  | { kind: "value"; value: unknown }
  | { kind: "error" }
  | { kind: "redirect"; location: string }
  | { kind: "unrecognized" }
  | { kind: "unparsable"; text: string };

export type ActionAnswer = { status: number; outcome: Outcome; text: string };

const specialValues = new Map<string, unknown>([
  ["$undefined", undefined],
  ["$NaN", Number.NaN],
  ["$Infinity", Infinity],
  ["$-Infinity", -Infinity],
]);

function unescapeStrings(value: unknown): unknown {
  if (typeof value === "string")
    return specialValues.has(value) ? specialValues.get(value) : value.startsWith("$$") ? value.slice(1) : value;
  if (Array.isArray(value)) return value.map(unescapeStrings);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unescapeStrings(item)]));
  return value;
}

const rootRow = z.object({ a: z.string().regex(/^\$@[0-9a-f]+$/) });

/** Reads the action's answer out of a flight stream: row 0 points (`"a":"$@<row>"`) at it. */
export function parseFlight(text: string): Outcome {
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) rows.set(match[1], match[2]);
  }
  try {
    const root = rootRow.parse(JSON.parse(rows.get("0") ?? ""));
    const row = rows.get(root.a.slice(2));
    if (row === undefined) return { kind: "unparsable", text };
    if (row.startsWith("E")) return { kind: "error" };
    return { kind: "value", value: unescapeStrings(JSON.parse(row)) };
  } catch {
    return { kind: "unparsable", text };
  }
}

export type ActionCall = {
  /** The session cookie; omitted: an anonymous caller. */
  cookie?: string;
  /** The Origin header; default the server's own origin, null: no Origin header at all. */
  origin?: string | null;
  /** The page the action is posted to (any page works: Next forwards to the page that has it). */
  page?: string;
  /** A hand-made body instead of encoded arguments: text (sent as text/plain) or multipart. */
  rawBody?: string | FormData;
};

export type ActionCaller = (name: string, args: ActionArg[], call?: ActionCall) => Promise<ActionAnswer>;

/** A caller for the actions of `filename` on the server at `baseUrl`. */
export function actionCaller(baseUrl: string, filename: string): ActionCaller {
  return async (name, args, call = {}) => {
    const { rawBody } = call;
    const encoded =
      rawBody === undefined
        ? encodeArgs(args)
        : { body: rawBody, contentType: typeof rawBody === "string" ? "text/plain;charset=UTF-8" : undefined };
    const headers: Record<string, string> = { "next-action": actionId(filename, name), accept: "text/x-component" };
    if (encoded.contentType) headers["content-type"] = encoded.contentType;
    const origin = call.origin === undefined ? new URL(baseUrl).origin : call.origin;
    if (origin !== null) headers.origin = origin;
    if (call.cookie) headers.cookie = call.cookie;
    const response = await fetch(`${baseUrl}${call.page ?? "/"}`, {
      method: "POST",
      headers,
      body: encoded.body,
      redirect: "manual",
    });
    const text = await response.text();
    const redirect = response.headers.get("x-action-redirect");
    if (redirect !== null)
      return { status: response.status, outcome: { kind: "redirect", location: redirect.split(";")[0] ?? "" }, text };
    if (response.headers.get("x-nextjs-action-not-found") === "1")
      return { status: response.status, outcome: { kind: "unrecognized" }, text };
    return { status: response.status, outcome: parseFlight(text), text };
  };
}

/** `ActionResult` of app/actions/run-action.ts. */
export const actionResult = z.discriminatedUnion("ok", [
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: z.string(), message: z.string() }),
]);
export type ActionResult = z.infer<typeof actionResult>;

/** `FormState` of app/actions/run-action.ts. */
export const formState = z.strictObject({
  ok: z.boolean().optional(),
  message: z.string().optional(),
  at: z.number().optional(),
});

/** createGameAction's answer when it made the game: the form then opens it. */
export const createdState = z.strictObject({
  ok: z.literal(true),
  gameId: z.number().int().positive(),
  at: z.number(),
});

/** The returned value of an answer, parsed by `schema`; fails the test on anything else. */
export function valueOf<T>(answer: ActionAnswer, schema: z.ZodType<T>): T {
  if (answer.outcome.kind !== "value")
    throw new Error(`expected a returned value, got ${answer.status} ${JSON.stringify(answer.outcome)}`);
  return schema.parse(answer.outcome.value);
}

/** The refusal in an answer (an `ActionResult` or a form state with ok: false); throws on anything else. */
export function refusalOf(answer: ActionAnswer): { error?: string; message: string } {
  const value = answer.outcome.kind === "value" ? answer.outcome.value : undefined;
  const result = actionResult.safeParse(value);
  if (result.success && !result.data.ok) return { error: result.data.error, message: result.data.message };
  const state = formState.safeParse(value);
  if (state.success && state.data.ok === false) return { message: state.data.message ?? "" };
  throw new Error(`expected a refusal, got ${answer.status} ${JSON.stringify(answer.outcome)}`);
}

/** The answer's text without the per-call timestamp of form states, to compare two answers. */
export function comparable(answer: ActionAnswer): { status: number; text: string } {
  return { status: answer.status, text: answer.text.replace(/"at":\d+/g, '"at":0') };
}
