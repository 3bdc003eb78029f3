// POST /api/games/:id/members `{ username }` (owner only): invites a player, who is told on
// their user channel. Answers 201 with the new member as the game's roster shows it.
import { readJsonBody } from "@/lib/api/json-body";
import { gamePathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import type { MemberView } from "@/lib/games/games";
import { inviteMember } from "@/lib/games/members";
import { inviteMemberSchema } from "@/lib/games/schemas";

type Params = { id: string };

export const POST = apiRoute<Params>(async ({ request, user, params }) => {
  const gameId = gamePathId(params.id);
  const body = await readJsonBody(request, inviteMemberSchema);
  const invited = await inviteMember(user, gameId, body);
  const member: MemberView = { id: invited.id, username: invited.username, role: "player", clicks: 0 };
  return Response.json(member, { status: 201 });
});
