// Turns a symbolic HTTP fuzz input into a real request against the current world (ids, codes,
// cookies, tokens as they are now) and sends it with node:http, which leaves headers and bodies
// exactly as given (fetch would fix them up); every request closes its connection.
import { request, type ClientRequest, type IncomingHttpHeaders } from "node:http";
import type { FuzzWorld, WorldLookup } from "./fuzz-world";
import { MISSING_ID } from "./fuzz-world";
import type { Body, HttpInput, Ref } from "./http-inputs";

export type HttpRequest = { method: string; path: string; headers: Record<string, string>; body?: Buffer };
export type HttpAnswer = { status: number; headers: IncomingHttpHeaders; text: string };

/** An answer that has not come by then is a hang. */
const ANSWER_TIMEOUT_MS = 10_000;

type Kind = "game" | "user" | "round" | "code" | "token" | "auth" | "segment";

/** What the n-th `:ref` of a route names. */
function kindOf(route: string, index: number): Kind {
  if (route.startsWith("/api/games/:ref/members/")) return index === 0 ? "game" : "user";
  if (route.startsWith("/api/games/:ref/rounds/")) return index === 0 ? "game" : "round";
  if (route === "/api/games/:ref/:ref") return index === 0 ? "game" : "segment";
  if (route.startsWith("/api/games/")) return "game";
  if (route.startsWith("/api/invites/")) return "code";
  if (route.startsWith("/api/tokens/")) return "token";
  if (route.startsWith("/api/auth/")) return "auth";
  return "segment";
}

function idFor(kind: Kind, ref: Extract<Ref, { of: string }>, w: FuzzWorld, lookup: WorldLookup): string {
  const pick = <T>(main: T, foreign: T, missing: T): T =>
    ref.of === "main" ? main : ref.of === "foreign" ? foreign : missing;
  switch (kind) {
    case "game":
      return String(pick(w.gameId, w.foreignGameId, MISSING_ID));
    case "user":
      return String(pick(w.member.id, w.outsider.id, MISSING_ID));
    case "round":
      return String(pick(lookup.latestRound(w.gameId), lookup.latestRound(w.foreignGameId), MISSING_ID) ?? MISSING_ID);
    case "code":
      return pick(lookup.inviteCode(w.gameId), lookup.inviteCode(w.foreignGameId), null) ?? "A".repeat(22);
    case "token":
      return String(pick(w.tokens.owner.id, w.tokens.member.id, MISSING_ID));
    case "auth":
      return pick("signin", "error", "nope");
    case "segment":
      return pick("games", "clicks", "nope");
  }
}

function pathOf(input: HttpInput, w: FuzzWorld, lookup: WorldLookup): string {
  let index = 0;
  const path = input.route.replace(/:ref/g, () => {
    const ref = input.refs[index] ?? { of: "missing" };
    const kind = kindOf(input.route, index);
    index += 1;
    return "literal" in ref ? ref.literal : idFor(kind, ref, w, lookup);
  });
  return `${path}${input.suffix}`;
}

function credentialsOf(input: HttpInput, w: FuzzWorld): Record<string, string> {
  if (input.caller === "anonymous") return {};
  if (input.caller === "forged")
    return { cookie: "authjs.session-token=eyJhbGciOiJkaXIifQ.forged.token", authorization: "Bearer cbt_forged" };
  const player = input.caller === "owner" ? w.owner : input.caller === "member" ? w.member : w.outsider;
  const token =
    input.caller === "owner" ? w.tokens.owner.token : input.caller === "member" ? w.tokens.member.token : undefined;
  const bearer: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  switch (input.credential) {
    case "cookie":
      return { cookie: player.cookie };
    case "bearer":
      return token ? bearer : { cookie: player.cookie };
    case "both":
      return { cookie: player.cookie, ...bearer };
    case "bad-bearer":
      return { cookie: player.cookie, authorization: "Bearer not-a-token" };
  }
}

const ORIGINS = {
  same: (url: string) => new URL(url).origin,
  foreign: () => "https://evil.example",
  null: () => "null",
  garbage: () => "ht!tp://::1::",
};

function bodyOf(body: Body): Buffer | undefined {
  if ("none" in body) return undefined;
  if ("bytes" in body) return body.bytes;
  if ("text" in body) return Buffer.from(body.text);
  return Buffer.from(JSON.stringify(body.json) ?? "null");
}

export function resolveInput(input: HttpInput, w: FuzzWorld, lookup: WorldLookup, url: string): HttpRequest {
  const headers: Record<string, string> = { connection: "close", ...credentialsOf(input, w) };
  if (input.origin !== "none") headers.origin = ORIGINS[input.origin](url);
  const body = bodyOf(input.body);
  if (body !== undefined && input.contentType !== null) headers["content-type"] = input.contentType;
  // node:http frames a GET, DELETE or OPTIONS body with neither a length nor chunks (it would
  // read as a second, garbled request): say how long it is.
  if (body !== undefined) headers["content-length"] = String(body.byteLength);
  return { method: input.method, path: pathOf(input, w, lookup), headers, body };
}

/** The answer, or "unsendable" when node:http refuses the request itself (a bad method or path). */
export function send(url: string, message: HttpRequest): Promise<HttpAnswer | "unsendable"> {
  return new Promise((resolve, reject) => {
    let outgoing: ClientRequest;
    try {
      outgoing = request(`${url}${message.path}`, { method: message.method, headers: message.headers });
    } catch {
      return resolve("unsendable");
    }
    outgoing.setTimeout(ANSWER_TIMEOUT_MS, () => outgoing.destroy(new Error(`no answer in ${ANSWER_TIMEOUT_MS} ms`)));
    outgoing.on("error", (error) => reject(new Error(`${message.method} ${message.path}: ${error.message}`)));
    outgoing.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      response.on("error", reject);
    });
    outgoing.end(message.body);
  });
}
