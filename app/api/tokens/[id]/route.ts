// DELETE /api/tokens/:id: revokes one of the caller's API tokens (204). Someone else's token
// answers 404 like a missing one.
import { AppError } from "@/lib/runtime/app-error";
import { pathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import { revokeApiToken } from "@/lib/realtime/revoke-api-token";

type Params = { id: string };

export const DELETE = apiRoute<Params>(async ({ user, params }) => {
  const tokenId = pathId(params.id);
  if (tokenId === null || !(await revokeApiToken(user.id, tokenId)))
    throw new AppError("not_found", "Token not found.");
  return new Response(null, { status: 204 });
});
