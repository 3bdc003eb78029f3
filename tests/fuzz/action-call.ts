// Posts one symbolic action fuzz input to the node: its arguments resolved against the world as
// it is now (ids, usernames, invite codes), as the chosen caller, with the page's own Origin.
import {
  actionCaller,
  type ActionAnswer,
  type ActionArg,
  type ActionCaller,
  type Json,
} from "../actions/action-client";
import { MISSING_ID, type FuzzWorld, type WorldLookup } from "./fuzz-world";
import type { ActionInput, ArgSpec, FieldSpec, Of } from "./action-inputs";

type Resolver = { w: FuzzWorld; lookup: WorldLookup };

function pick<T>(which: Of, main: T, foreign: T, missing: T): T {
  return which === "main" ? main : which === "foreign" ? foreign : missing;
}

function idOf(spec: Extract<ArgSpec, { ref: string }>, { w, lookup }: Resolver): number {
  switch (spec.ref) {
    case "game":
      return pick(spec.of, w.gameId, w.foreignGameId, MISSING_ID);
    case "user":
      return pick(spec.of, w.member.id, w.outsider.id, MISSING_ID);
    case "token":
      return pick(spec.of, w.tokens.owner.id, w.tokens.member.id, MISSING_ID);
    case "round":
      return pick(spec.of, lookup.latestRound(w.gameId), lookup.latestRound(w.foreignGameId), null) ?? MISSING_ID;
  }
}

function jsonOf(spec: ArgSpec, resolver: Resolver): Json {
  if ("ref" in spec) return idOf(spec, resolver);
  if ("json" in spec) return spec.json;
  if ("fields" in spec)
    return Object.fromEntries(Object.entries(spec.fields).map(([key, item]) => [key, jsonOf(item, resolver)]));
  // A form nested in an object cannot travel as one: it names its fields only.
  return Object.keys(spec.form);
}

function fieldOf(spec: FieldSpec, { w, lookup }: Resolver): string {
  if ("text" in spec) return spec.text;
  if ("username" in spec) return pick(spec.username, w.member.username, w.outsider.username, "nobody_at_all");
  return pick(spec.code, lookup.inviteCode(w.gameId), lookup.inviteCode(w.foreignGameId), null) ?? "A".repeat(22);
}

function argOf(spec: ArgSpec, resolver: Resolver): ActionArg {
  if (!("form" in spec)) return jsonOf(spec, resolver);
  const data = new FormData();
  for (const [name, field] of Object.entries(spec.form)) data.append(name, fieldOf(field, resolver));
  return data;
}

function cookieOf(input: ActionInput, w: FuzzWorld): string | undefined {
  if (input.caller === "anonymous") return undefined;
  if (input.caller === "forged") return "authjs.session-token=eyJhbGciOiJkaXIifQ.forged.token";
  return (input.caller === "owner" ? w.owner : input.caller === "member" ? w.member : w.outsider).cookie;
}

/** One caller per actions file, made on first use. */
export class ActionPoster {
  private readonly callers = new Map<string, ActionCaller>();

  constructor(private readonly url: string) {}

  post(input: ActionInput, w: FuzzWorld, lookup: WorldLookup): Promise<ActionAnswer> {
    let caller = this.callers.get(input.file);
    if (!caller) {
      caller = actionCaller(this.url, input.file);
      this.callers.set(input.file, caller);
    }
    const args = input.args.map((spec) => argOf(spec, { w, lookup }));
    return caller(input.action, args, {
      cookie: cookieOf(input, w),
      ...(input.rawBody === undefined ? {} : { rawBody: input.rawBody }),
    });
  }
}
