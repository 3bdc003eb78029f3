// POST /api/games/:id/rounds/:roundId/end (owner): ends the running round now → 200 with the
// round `{ id, startsAt, endsAt, endedAt, podium }`; 409 when it has ended already.
import { gamePathId, pathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import { endRoundEarly } from "@/lib/games/rounds";

type Params = { id: string; roundId: string };

export const POST = apiRoute<Params>(async ({ user, params }) =>
  Response.json(await endRoundEarly(user, gamePathId(params.id), pathId(params.roundId))),
);
