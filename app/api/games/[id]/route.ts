// GET, PATCH (rename, owner only) and DELETE (owner only) /api/games/:id, docs/api.md#endpoints.
// A game the caller may not see answers 404 exactly like a missing one (lib/games/access.ts).
import { readJsonBody } from "@/lib/api/json-body";
import { gamePathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import { deleteGame, gameDetails, renameGame } from "@/lib/games/games";
import { renameGameSchema } from "@/lib/games/schemas";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ user, params }) =>
  Response.json(await gameDetails(user, gamePathId(params.id))),
);

/** Answers the renamed game's summary `{ id, name, ownerId, total }`. */
export const PATCH = apiRoute<Params>(async ({ request, user, params }) => {
  const gameId = gamePathId(params.id);
  const body = await readJsonBody(request, renameGameSchema);
  return Response.json(await renameGame(user, gameId, body));
});

/** Answers 204 with no body. */
export const DELETE = apiRoute<Params>(async ({ user, params }) => {
  await deleteGame(user, gamePathId(params.id));
  return new Response(null, { status: 204 });
});
