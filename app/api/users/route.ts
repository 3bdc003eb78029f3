// POST /api/users — sign-up for scripts and tests: the same rules as the sign-up form, with the
// API's capped JSON body reader, rate-limited per client address before any hashing. Answers 201
// `{ id, username }`; it does not sign in.
import { readJsonBody } from "@/lib/api/json-body";
import { publicRoute } from "@/lib/api/route";
import { credentialsSchema } from "@/lib/auth/credentials";
import { admitSignUp, tooManyAttempts } from "@/lib/auth/auth-limits";
import { createUser } from "@/lib/auth/users";
import { AppError } from "@/lib/runtime/app-error";
import { clientAddress } from "@/lib/server/client-address";

export const POST = publicRoute(async ({ request }) => {
  const admitted = await admitSignUp(clientAddress(request.headers));
  if (!admitted.ok)
    throw new AppError("rate_limited", tooManyAttempts(admitted), { retryAfterSeconds: admitted.retryAfterSeconds });
  const created = await createUser(await readJsonBody(request, credentialsSchema));
  if (!created.ok)
    return Response.json({ error: "username_taken", message: "That username is taken." }, { status: 409 });
  return Response.json(created.user, { status: 201 });
});
