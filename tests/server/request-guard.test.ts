// The node's guard before Next (lib/server/request-guard.ts), against a real server: a POST to a
// page from a foreign Origin (a forged server action or form post, ALLOWED_ORIGINS included: they
// open sockets and the API, not the app's forms) is a clear 403 that never reaches Next, wherever
// its path lands; the API is left to its own rules.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorAnswer } from "../api/answers";
import { startTestServer, type TestServer } from "../support/server";

const ALLOWED = "https://partner.example";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ ALLOWED_ORIGINS: ALLOWED });
});

afterAll(async () => {
  await server?.stop();
});

const post = (path: string, origin?: string) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", ...(origin ? { origin } : {}) },
    body: "[]",
  });

describe("a POST to a page", () => {
  it.each(["https://evil.example", ALLOWED, "null", "http://127.0.0.1:1", "not a url"])(
    "from Origin %s is refused with 403 before Next",
    async (origin) => {
      const mark = server.output().length;
      for (const path of ["/", "/games/1", "/settings", "/api/..", "/api/%2e%2e/settings"]) {
        const answer = await post(path, origin);
        expect({ path, status: answer.status, text: await answer.text() }).toEqual({
          path,
          status: 403,
          text: expect.stringMatching(/^Refused: /),
        });
      }
      // Next never saw them: it logs an error for every forged action it refuses itself.
      expect(server.output().slice(mark)).toBe("");
    },
  );

  it("from this site's own origin, or with no Origin, goes on to Next", async () => {
    for (const origin of [server.url, undefined]) expect((await post("/", origin)).status).not.toBe(403);
  });
});

it("leaves the API to its own Origin rule and answers", async () => {
  const answer = await post("/api/games", "https://evil.example");
  expect({ status: answer.status, error: errorAnswer.parse(await answer.json()).error }).toEqual({
    status: 401,
    error: "unauthorized",
  });
});
