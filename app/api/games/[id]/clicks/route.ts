// POST /api/games/:id/clicks `{ count, batchId }` → `{ total }`: the same addClicks as the game
// page (capped, rate-limited, counted once per batchId, announced on `game:<id>`).
import { readJsonBody } from "@/lib/api/json-body";
import { gamePathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import { addClicks } from "@/lib/games/clicks";
import { clickBatchSchema } from "@/lib/games/schemas";

type Params = { id: string };

export const POST = apiRoute<Params>(async ({ request, user, params }) => {
  const gameId = gamePathId(params.id);
  const batch = await readJsonBody(request, clickBatchSchema);
  const { total } = addClicks(user, { ...batch, gameId });
  return Response.json({ total });
});
