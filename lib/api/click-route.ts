// POST /api/games/:id/clicks `{ count, batchId }` → `{ total, paceMs }`: the same addClicks as the game
// page (capped, rate-limited, counted once per batchId, announced on `game:<id>`). The node
// answers it before Next (lib/server/direct-routes.ts); the route file re-exports it for Next.
import { readJsonBody } from "@/lib/api/json-body";
import { gamePathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import { addClicks } from "@/lib/games/clicks";
import { clickBatchSchema } from "@/lib/games/schemas";

export type ClickRouteParams = { id: string };

export const postClicks = apiRoute<ClickRouteParams>(async ({ request, user, params }) => {
  const gameId = gamePathId(params.id);
  const batch = await readJsonBody(request, clickBatchSchema);
  const { total, paceMs } = await addClicks(user, { ...batch, gameId });
  return Response.json({ total, paceMs });
});
