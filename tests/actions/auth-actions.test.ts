// Integration: the sign-up and sign-in server actions, posted by hand. Their form argument comes
// from the client, so anything that is not a real FormData is a missing field: refused with the
// form's own message, no account created, no session issued, no server error.
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { storedRow } from "../support/stored-rows";
import { startTestServer, type TestServer } from "../support/server";
import { actionCaller, form, valueOf, type ActionCaller, type Json } from "./action-client";

let server: TestServer;
let auth: ActionCaller;

beforeAll(async () => {
  server = await startTestServer();
  auth = actionCaller(server.url, "app/actions/auth.ts");
});
afterAll(() => server?.stop());

const authFormState = z.strictObject({
  message: z.string().optional(),
  errors: z.object({ username: z.array(z.string()).optional(), password: z.array(z.string()).optional() }).optional(),
  values: z.object({ username: z.string() }).optional(),
});

async function userCount(): Promise<number> {
  return z.object({ n: z.number() }).parse(await storedRow(server.database, "select count(*) as n from users")).n;
}

const notForms: Json[] = [
  null,
  "username=mallory",
  { username: "mallory", password: "correct-horse-battery" },
  ["mallory"],
  42,
];

it("signUpAction refuses a form argument that is not a FormData and creates nobody", async () => {
  const before = await userCount();
  for (const notForm of notForms) {
    const answer = await auth("signUpAction", [{}, notForm], { page: "/sign-up" });
    expect(answer.status).toBe(200);
    expect(valueOf(answer, authFormState).errors?.username?.length).toBeGreaterThan(0);
  }
  expect(await userCount()).toBe(before);
  expect(server.output()).not.toMatch(/TypeError/);
});

it("signInAction refuses a form argument that is not a FormData and sets no session", async () => {
  for (const notForm of notForms) {
    const response = await auth("signInAction", [{}, notForm], { page: "/sign-in" });
    expect(valueOf(response, authFormState)).toEqual({
      message: "Enter your username and password.",
      values: { username: "" },
    });
  }
  // The real form still works, so the refusals above are about the argument, not the action.
  const created = await auth("signUpAction", [{}, form({ username: "formuser", password: "correct-horse-battery" })], {
    page: "/sign-up",
  });
  expect(created.outcome).toMatchObject({ kind: "redirect" });
  expect(server.output()).not.toMatch(/TypeError/);
});
