// Sign-in and sign-up limits (docs/api.md#errors, README.md#configuration) on a node with the
// default per-address burst: a flood of guesses at one account, or of sign-ups from one address, is
// refused with 429 and Retry-After before any password is hashed, changes nothing, and leaves the
// node answering; the sign-in form says why in words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { actionCaller, form, valueOf } from "../actions/action-client";
import { errorAnswer } from "../api/answers";
import { createAccount, signIn } from "../support/session";
import { storedRow } from "../support/stored-rows";
import { startTestServer, type TestServer } from "../support/server";

const ADDRESS_BURST = 30;
const USERNAME_BURST = 10;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ AUTH_ADDRESS_BURST: String(ADDRESS_BURST) });
  for (const username of ["target", "formuser", "bystander"])
    await createAccount(server.url, username, "correct-horse-battery");
});
afterAll(() => server?.stop());

async function credentialsPost(username: string, password: string): Promise<Response> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await csrf.json());
  const cookie = csrf.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, username, password }),
  });
}

const userCount = async (): Promise<number> =>
  z.object({ n: z.number() }).parse(await storedRow(server.database, "select count(*) as n from users")).n;

describe("sign-in limits", () => {
  it("refuses a burst of guesses at one account with 429 and Retry-After, while the node keeps answering", async () => {
    const guesses = Array.from({ length: 30 }, () => credentialsPost("target", "wrong-password-guess"));
    // The account is held for now, even with the right password: tried as soon as a guess is
    // refused, since the bucket gains a try every 6 s while the admitted guesses are hashed.
    await Promise.any(
      guesses.map(async (guess) => {
        if ((await guess).status !== 429) throw new Error("admitted");
      }),
    );
    expect((await credentialsPost("TARGET", "correct-horse-battery")).status).toBe(429);
    const answers = await Promise.all(guesses);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(30 - USERNAME_BURST);
    for (const answer of refused) {
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(errorAnswer.parse(await answer.json())).toMatchObject({ error: "rate_limited" });
    }
    // None of the admitted guesses signed in.
    for (const answer of answers)
      expect(answer.headers.getSetCookie().some((line) => line.startsWith("authjs.session-token="))).toBe(false);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it("tells the sign-in form's user why, in words", async () => {
    const signInAction = actionCaller(server.url, "app/actions/auth.ts");
    // All at once: one after another, their hashing could outlast the 6 s that give a try back.
    const states = await Promise.all(
      Array.from({ length: USERNAME_BURST + 1 }, async () =>
        valueOf(
          await signInAction("signInAction", [{}, form({ username: "formuser", password: "wrong-password-guess" })], {
            page: "/sign-in",
          }),
          z.object({ message: z.string() }),
        ),
      ),
    );
    const messages = states.map((state) => state.message);
    expect(messages.filter((message) => message === "Wrong username or password.")).toHaveLength(USERNAME_BURST);
    expect(
      messages.filter((message) => /^Too many attempts from here\. Try again in \d+ s\.$/.test(message)),
    ).toHaveLength(1);
  });
});

describe("sign-up limits", () => {
  it("creates no more than the burst from one address at once and refuses the rest without a trace", async () => {
    const before = await userCount();
    const answers = await Promise.all(
      Array.from({ length: ADDRESS_BURST + 10 }, (_, index) =>
        fetch(`${server.url}/api/users`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: `flood${index}`, password: "correct-horse-battery" }),
        }),
      ),
    );
    const created = answers.filter((answer) => answer.status === 201).length;
    const refused = answers.filter((answer) => answer.status === 429);
    expect(created).toBeLessThanOrEqual(ADDRESS_BURST);
    expect(created + refused.length).toBe(answers.length);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    for (const answer of refused) expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await userCount()).toBe(before + created);
    // Sign-in has its own bucket: an existing user still gets in.
    expect((await signIn(server.url, "bystander", "correct-horse-battery")).cookie).toMatch(/^authjs\.session-token=/);
  });
});
