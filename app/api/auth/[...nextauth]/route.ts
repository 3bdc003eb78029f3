// Auth.js's standard routes under /api/auth/* (csrf, session, callback/credentials, signout). A
// credentials sign-in posted here (scripts: docs/api.md#signing-a-script-in-and-minting-a-token) is
// rate-limited per client address and per username before Auth.js checks the password: 429 with
// Retry-After.
import type { NextRequest } from "next/server";
import { z } from "zod";
import { handlers } from "@/lib/auth/auth";
import { admitSignIn, tooManyAttempts } from "@/lib/auth/auth-limits";
import { clientAddress } from "@/lib/server/client-address";

export const { GET } = handlers;

const credentialsForm = z.object({ username: z.string().max(256).catch("") });

export async function POST(request: NextRequest): Promise<Response> {
  if (!request.nextUrl.pathname.endsWith("/callback/credentials")) return handlers.POST(request);
  // Read from a copy: Auth.js reads the body itself.
  const form = await request
    .clone()
    .formData()
    .catch(() => null);
  const { username } = credentialsForm.parse({ username: form?.get("username") ?? "" });
  const admitted = await admitSignIn(clientAddress(request.headers), username);
  if (!admitted.ok) {
    return Response.json(
      { error: "rate_limited", message: tooManyAttempts(admitted) },
      { status: 429, headers: { "retry-after": String(admitted.retryAfterSeconds) } },
    );
  }
  return handlers.POST(request);
}
