// DELETE /api/games/:id/members/:userId: the owner removes a player, or a player leaves
// (their own id). Answers 204; the removed user's sockets lose the game channel at once.
import { gamePathId, pathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import { removeMember } from "@/lib/games/members";

type Params = { id: string; userId: string };

export const DELETE = apiRoute<Params>(async ({ user, params }) => {
  // A malformed user id goes in as null, which names nobody: removeMember still checks the
  // game first, so the answer never depends on anything but the caller's own access.
  await removeMember(user, gamePathId(params.id), pathId(params.userId));
  return new Response(null, { status: 204 });
});
