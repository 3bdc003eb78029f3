// The request's scheme, against real servers: without TRUST_PROXY a client's own
// X-Forwarded-Proto changes nothing (the node serves HTTP); behind a trusted proxy that says
// HTTPS, Auth.js issues the `__Secure-` cookie, only that cookie is accepted, and the Origin of a
// cookie write must match in scheme as well as host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAndSignIn } from "../support/session";
import { startTestServer, type TestServer } from "../support/server";
import { errorAnswer } from "./answers";
import { call } from "./api-client";

const HTTPS = { "x-forwarded-proto": "https" };
let direct: TestServer;
let proxied: TestServer;
let accounts = 0;

beforeAll(async () => {
  [direct, proxied] = await Promise.all([startTestServer(), startTestServer({ TRUST_PROXY: "1" })]);
});

afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

const host = (server: TestServer) => new URL(server.url).host;
const signUp = (server: TestServer, headers: Record<string, string> = {}) => {
  accounts += 1;
  return signUpAndSignIn(server.url, `scheme${accounts}_${process.pid % 10000}`, undefined, headers);
};
const createGame = (server: TestServer, headers: Record<string, string>) =>
  call(server.url, { headers }, "POST", "/api/games", { json: { name: "Scheme" } });

describe("a node without TRUST_PROXY", () => {
  it("ignores a client's X-Forwarded-Proto: the plain cookie, and the http:// Origin only", async () => {
    const { cookie } = await signUp(direct, HTTPS);
    expect(cookie.startsWith("authjs.session-token=")).toBe(true);
    expect((await createGame(direct, { ...HTTPS, cookie, origin: `http://${host(direct)}` })).status).toBe(201);
    const wrongScheme = await createGame(direct, { ...HTTPS, cookie, origin: `https://${host(direct)}` });
    expect({ status: wrongScheme.status, error: errorAnswer.parse(wrongScheme.body).error }).toEqual({
      status: 403,
      error: "forbidden_origin",
    });
    // What an operator behind a TLS proxy without TRUST_PROXY sees: the hint, once.
    await createGame(direct, { cookie, origin: `https://${host(direct)}` });
    expect(direct.output().split("set TRUST_PROXY").length - 1).toBe(1);
  });
});

describe("a node behind a trusted proxy that says HTTPS", () => {
  it("issues and accepts only the __Secure- cookie, with the https:// Origin", async () => {
    const { cookie } = await signUp(proxied, HTTPS);
    expect(cookie.startsWith("__Secure-authjs.session-token=")).toBe(true);
    expect((await createGame(proxied, { ...HTTPS, cookie, origin: `https://${host(proxied)}` })).status).toBe(201);
    const wrongScheme = await createGame(proxied, { ...HTTPS, cookie, origin: `http://${host(proxied)}` });
    expect({ status: wrongScheme.status, error: errorAnswer.parse(wrongScheme.body).error }).toEqual({
      status: 403,
      error: "forbidden_origin",
    });
    expect((await call(proxied.url, { headers: { cookie } }, "GET", "/api/games")).status).toBe(401);
  });

  it("refuses under HTTPS a plain cookie (one could have been planted over HTTP) that works over HTTP", async () => {
    const { cookie: plain } = await signUp(proxied);
    expect(plain.startsWith("authjs.session-token=")).toBe(true);
    expect((await call(proxied.url, { headers: { cookie: plain } }, "GET", "/api/games")).status).toBe(200);
    expect((await call(proxied.url, { headers: { ...HTTPS, cookie: plain } }, "GET", "/api/games")).status).toBe(401);
  });
});
