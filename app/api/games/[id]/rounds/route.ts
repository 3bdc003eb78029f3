// GET /api/games/:id/rounds (members) → `{ rounds: [{ id, startsAt, endsAt, endedAt, podium }] }`,
// newest first; POST `{ seconds }` (owner, 5–600) → 201 `{ id, startsAt, endsAt }`, 409 while
// a round runs. docs/api.md#rounds.
import { readJsonBody } from "@/lib/api/json-body";
import { gamePathId } from "@/lib/api/path-id";
import { apiRoute } from "@/lib/api/route";
import { scheduleRoundEnd } from "@/lib/games/round-timer";
import { listRounds, startRound } from "@/lib/games/rounds";
import { startRoundSchema } from "@/lib/games/schemas";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ user, params }) =>
  Response.json({ rounds: await listRounds(user, gamePathId(params.id)) }),
);

export const POST = apiRoute<Params>(async ({ request, user, params }) => {
  const gameId = gamePathId(params.id);
  const body = await readJsonBody(request, startRoundSchema);
  return Response.json(await startRound(user, gameId, body, scheduleRoundEnd), { status: 201 });
});
