// POST /api/users — sign-up for scripts and tests: the same rules as the sign-up form.
import { z } from "zod";
import { credentialsSchema } from "@/lib/auth/credentials";
import { createUser } from "@/lib/auth/users";

export async function POST(request: Request): Promise<Response> {
  const body: unknown = await request.json().catch(() => null);
  const parsed = credentialsSchema.safeParse(body);
  if (!parsed.success) return Response.json({ error: "invalid", fields: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  const created = await createUser(parsed.data);
  if (!created.ok) return Response.json({ error: "username_taken" }, { status: 409 });
  return Response.json(created.user, { status: 201 });
}
