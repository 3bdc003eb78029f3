// Signs a script in the way any Auth.js client does: GET /api/auth/csrf, then a form POST to
// /api/auth/callback/credentials. Returns the Cookie header value carrying the session.
import { z } from "zod";

export type SignedIn = { cookie: string; sessionToken: string };

/** A sign-in that got no session; `retryAfterSeconds` when the server's rate limit said so (429). */
export class SignInRefused extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds: number | undefined,
    username: string,
  ) {
    super(`sign-in of ${username} failed with ${status}`);
  }
}

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((line) => line.split(";")[0] ?? "");
}

export async function signUpAndSignIn(
  baseUrl: string,
  username: string,
  password = "correct-horse-battery",
  headers: Record<string, string> = {},
): Promise<SignedIn> {
  await createAccount(baseUrl, username, password);
  return signIn(baseUrl, username, password, headers);
}

/** `headers`: sent on both requests (e.g. a proxy's X-Forwarded-Proto); the session cookie may then be the `__Secure-` one. */
export async function signIn(
  baseUrl: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<SignedIn> {
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = z.object({ csrfToken: z.string() }).parse(await csrfResponse.json());
  const jar = cookiesOf(csrfResponse);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, username, password }),
  });
  const session = cookiesOf(response).find((cookie) => /^(__Secure-)?authjs\.session-token=/.test(cookie));
  if (!session) {
    const retryAfter = response.status === 429 ? Number(response.headers.get("retry-after")) : Number.NaN;
    throw new SignInRefused(response.status, Number.isInteger(retryAfter) ? retryAfter : undefined, username);
  }
  return { cookie: session, sessionToken: session.slice(session.indexOf("=") + 1) };
}

/** Creates an account through POST /api/users (the sign-up form's rules). */
export async function createAccount(baseUrl: string, username: string, password: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 201)
    throw new Error(`sign-up of ${username} failed with ${response.status}: ${await response.text()}`);
}
