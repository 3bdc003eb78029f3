// POST /api/games/:id/invite-link (owner): a new invite link (the old one stops working) →
// 201 `{ code, path }`; DELETE revokes it → 204. Scripts and tests share links this way.
import { gamePathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import { regenerateInviteLink, revokeInviteLink } from "@/lib/games/invite-link";

type Params = { id: string };

export const POST = apiRoute<Params>(async ({ user, params }) => {
  const code = await regenerateInviteLink(user, gamePathId(params.id));
  return Response.json({ code, path: `/join/${code}` }, { status: 201 });
});

export const DELETE = apiRoute<Params>(async ({ user, params }) => {
  await revokeInviteLink(user, gamePathId(params.id));
  return new Response(null, { status: 204 });
});
