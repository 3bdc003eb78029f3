// GET /api/tokens (the caller's API tokens, without secrets) and POST /api/tokens `{ name }`
// → 201 `{ id, name, token, createdAt }`: the only time the token itself is ever shown, so an
// Idempotency-Key's repeat is refused (409) rather than answered with the token again.
import { z } from "zod";
import { readJsonBody } from "@/lib/api/json-body";
import { apiRoute } from "@/lib/api/route";
import { createApiToken, listApiTokens, tokenNameSchema } from "@/lib/auth/api-tokens";

const createTokenSchema = z.strictObject({ name: tokenNameSchema });

export const GET = apiRoute(async ({ user }) => Response.json({ tokens: await listApiTokens(user.id) }));

export const POST = apiRoute(
  async ({ request, user }) => {
    const { name } = await readJsonBody(request, createTokenSchema);
    const { token, summary } = await createApiToken(user.id, name);
    return Response.json(
      { id: summary.id, name: summary.name, token, createdAt: summary.createdAt },
      { status: 201, headers: { "cache-control": "no-store" } },
    );
  },
  { secretAnswer: true },
);
