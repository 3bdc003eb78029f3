// Property-based fuzzing of the HTTP API against a real node: generated methods, paths (the API's
// routes with the world's own, foreign, missing and malformed ids, bent), callers, Origins,
// content types and bodies. Never a 5xx, every error a documented `{ error }`, and a refused
// request changes nothing in the SQLite file. FUZZ_RUNS raises the count (tests/fuzz/fuzz-run.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { errorAnswer } from "../api/answers";
import { DbFingerprint } from "./db-fingerprint";
import { fuzz, fuzzRuns } from "./fuzz-run";
import { fuzzTargetForFile } from "./fuzz-target";
import { repair } from "./fuzz-world";
import { httpInput } from "./http-inputs";
import { resolveInput, send } from "./http-request";
import { problemWith } from "./http-verdict";

const FILE = "tests/fuzz/http-api.test.ts";
const NAME = "answers every request with a documented status and body, and a refusal changes nothing";
/** What the node logs when a handler threw (lib/api/error-response.ts, lib/server/direct-routes.ts). */
const HANDLER_FAILED = /API request failed|direct route failed|"level":(5|6)0,/;

const target = fuzzTargetForFile();

describe("a path under /api that names no endpoint", () => {
  it.each(["GET", "POST", "PUT", "PATCH", "DELETE"])(
    "answers %s with the API's JSON 404, not Next's page",
    async (method) => {
      const { server } = target();
      for (const path of ["/api/nope", "/api/games/1/nope", "/api/games/1/members/2/3"]) {
        const answer = await fetch(`${server.url}${path}`, { method });
        expect({ path, status: answer.status, type: answer.headers.get("content-type") }).toEqual({
          path,
          status: 404,
          type: "application/json",
        });
        expect(errorAnswer.parse(await answer.json()).error).toBe("not_found");
      }
    },
  );
});

describe("a method the app does not route", () => {
  it.each(["TRACE", "PROPFIND", "SEARCH", "MKCOL"])(
    "answers %s with 405 and Allow, before Next (which answered TRACE with a 500)",
    async (method) => {
      const { server } = target();
      for (const path of ["/api/games", "/"]) {
        const answer = await send(server.url, { method, path, headers: { connection: "close" } });
        if (answer === "unsendable") throw new Error(`node:http would not send ${method}`);
        expect({ method, path, status: answer.status, allow: answer.headers.allow, text: answer.text }).toEqual({
          method,
          path,
          status: 405,
          allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
          text: "",
        });
      }
    },
  );
});

describe("a path whose percent-encoding does not decode", () => {
  /** GET answers for the owner and for a caller without credentials, per path. */
  const cases: Array<[string, number, number]> = [
    ["/api/games/%ZZ", 404, 401],
    ["/api/games/%E0%A4%A/rounds", 404, 401],
    ["/api/tokens/%", 405, 405],
    ["/games/%ZZ", 404, 307],
  ];
  it.each(cases)(
    "names nothing (%s): answered %i to its owner, %i to a stranger, never Next's 500",
    async (path, asOwner, asStranger) => {
      const { server, w } = target();
      const owner = await send(server.url, {
        method: "GET",
        path,
        headers: { connection: "close", cookie: w.owner.cookie },
      });
      const stranger = await send(server.url, { method: "GET", path, headers: { connection: "close" } });
      const status = (answer: Awaited<ReturnType<typeof send>>) => (answer === "unsendable" ? 0 : answer.status);
      expect({ owner: status(owner), stranger: status(stranger) }).toEqual({ owner: asOwner, stranger: asStranger });
    },
  );
});

it(
  NAME,
  async () => {
    const { server, w, lookup, fingerprint } = target();
    let sent = 0;
    await fuzz(
      FILE,
      NAME,
      fc.asyncProperty(
        httpInput({ usernames: [w.owner.username, w.member.username, w.outsider.username] }),
        async (input) => {
          await repair(server, w, lookup);
          const request = resolveInput(input, w, lookup, server.url);
          await fingerprint.settle();
          const before = fingerprint.read();
          const answer = await send(server.url, request);
          if (answer === "unsendable") return;
          sent += 1;
          const problem = problemWith(request, answer, DbFingerprint.changed(before, fingerprint.read()));
          if (problem) throw new Error(problem);
        },
      ),
    );
    console.log(`${sent} requests reached the node`);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(server.output()).not.toMatch(HANDLER_FAILED);
  },
  60_000 + fuzzRuns() * 100,
);
