// The click endpoint as a node answers it before Next (lib/server/direct-routes.ts), against a
// real server: the HTTP details Next used to handle — kept-alive connections after an early
// answer, oversized uploads, how the path is read, and what is still left to Next.
import { Agent, request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DISCARD_BYTES } from "@/lib/api/json-body";
import { within } from "../support/bus-harness";
import { startTestServer, type TestServer } from "../support/server";
import { clicksAnswer, errorAnswer, gameDetails, gameSummary } from "../api/answers";
import { call, newPlayer, type Player } from "../api/api-client";

let server: TestServer;
let url: string;
let alice: Player;
let gameId: number;
let batches = 0;

beforeAll(async () => {
  server = await startTestServer();
  url = server.url;
  alice = await newPlayer(url, "direct");
  gameId = gameSummary.parse(
    (await call(url, alice.browser, "POST", "/api/games", { json: { name: "Direct" } })).body,
  ).id;
});

afterAll(async () => {
  await server?.stop();
});

type RawAnswer = { status: number; headers: Record<string, unknown>; text: string; reusedSocket: boolean };

/** One request over node:http, so the test sees which connection it used. */
function send(
  agent: Agent,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: OutgoingHttpHeaders = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { agent, method, headers: { ...alice.browser.headers, "content-type": "application/json", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
            reusedSocket: req.reusedSocket,
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function batch(count = 1): string {
  batches += 1;
  return JSON.stringify({ count, batchId: `direct-batch-${String(batches).padStart(4, "0")}` });
}

async function total(): Promise<number> {
  return gameDetails.parse((await call(url, alice.browser, "GET", `/api/games/${gameId}`)).body).total;
}

describe("the click endpoint served by the node", () => {
  it("answers JSON with its length, many times over one kept-alive connection", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await total();
    const answers = [];
    for (let index = 0; index < 3; index += 1)
      answers.push(await send(agent, "POST", `/api/games/${gameId}/clicks`, batch(2)));
    agent.destroy();
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.map((answer) => answer.reusedSocket)).toEqual([false, true, true]);
    expect(answers[2]?.headers["content-type"]).toMatch(/^application\/json/);
    expect(Number(answers[2]?.headers["content-length"])).toBe(Buffer.byteLength(answers[2]?.text ?? ""));
    expect(clicksAnswer.parse(JSON.parse(answers[2]?.text ?? "")).total).toBe(before + 6);
  });

  it("keeps the connection usable after refusing a body it never read (a declared 1 MB)", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await total();
    const huge = JSON.stringify({ count: 1, batchId: "direct-huge-0001", pad: "x".repeat(1024 * 1024) });
    const refused = await send(agent, "POST", `/api/games/${gameId}/clicks`, huge);
    const next = await send(agent, "POST", `/api/games/${gameId}/clicks`, batch());
    agent.destroy();
    expect(refused.status).toBe(413);
    expect(errorAnswer.parse(JSON.parse(refused.text)).error).toBe("too_large");
    expect(next).toMatchObject({ status: 200, reusedSocket: true });
    expect(await total()).toBe(before + 1);
  });

  it("stops reading an upload past the discard bound, counts nothing and stays healthy", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await total();
    const flood = Buffer.alloc(MAX_DISCARD_BYTES * 2, "x");
    // The node may answer 413 before closing, or the close may reach the client first.
    const outcome = await within(
      send(agent, "POST", `/api/games/${gameId}/clicks`, flood, { "transfer-encoding": "chunked" }).then(
        (answer) => `status ${answer.status}`,
        (error: NodeJS.ErrnoException) => `closed (${error.code ?? "error"})`,
      ),
      "the flooding upload to end",
    );
    agent.destroy();
    expect(outcome).toMatch(/^(status 413|closed \(\w+\))$/);
    expect((await call(url, alice.browser, "GET", "/api/health")).status).toBe(200);
    expect(await total()).toBe(before);
  });

  it("reads the game id as Next would: percent-encoded digits and a query string count the same", async () => {
    const before = await total();
    const encoded = [...String(gameId)].map((digit) => `%3${digit}`).join("");
    expect((await call(url, alice.browser, "POST", `/api/games/${encoded}/clicks`, { raw: batch(3) })).status).toBe(
      200,
    );
    expect(
      (await call(url, alice.browser, "POST", `/api/games/${gameId}/clicks?from=script`, { raw: batch(4) })).status,
    ).toBe(200);
    expect(await total()).toBe(before + 7);
  });

  it("leaves other methods and near-miss paths to Next", async () => {
    const before = await total();
    expect((await call(url, alice.browser, "GET", `/api/games/${gameId}/clicks`)).status).toBe(405);
    expect((await call(url, alice.browser, "POST", `/api/games/${gameId}/clicks/`, { raw: batch() })).status).toBe(308);
    expect(await total()).toBe(before);
  });

  it("answers an undecodable id like an unknown game, after authentication", async () => {
    const undecodable = await call(url, alice.browser, "POST", "/api/games/%E0%A4%A/clicks", { raw: batch() });
    const unknown = await call(url, alice.browser, "POST", "/api/games/999999/clicks", { raw: batch() });
    expect(undecodable.status).toBe(404);
    expect(undecodable.body).toEqual(unknown.body);
    const anonymous = await call(url, { headers: {} }, "POST", "/api/games/%E0%A4%A/clicks", { raw: batch() });
    expect(anonymous.status).toBe(401);
  });
});
