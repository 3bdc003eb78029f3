// GET /api/games (the caller's games) and POST /api/games (create one), docs/api.md#endpoints.
import { readJsonBody } from "@/lib/api/json-body";
import { apiRoute } from "@/lib/api/route";
import { createGame, listMyGames } from "@/lib/games/games";
import { createGameSchema } from "@/lib/games/schemas";

export const GET = apiRoute(async ({ user }) => Response.json({ games: await listMyGames(user.id) }));

export const POST = apiRoute(async ({ request, user }) => {
  const game = await createGame(user, await readJsonBody(request, createGameSchema));
  return Response.json(game, { status: 201, headers: { location: `/api/games/${game.id}` } });
});
