// POST /api/invites/:code/guests `{ nickname }`: join the invite's game as a new guest (scripts,
// `npm run crowd`). Answers 201 `{ gameId, user: { id, username } }` with the Auth.js session
// cookie set; 404 bad link, 400 bad nickname, 409 taken, 429 with Retry-After.
import { z } from "zod";
import { AppError } from "@/lib/runtime/app-error";
import { readJsonBody } from "@/lib/api/json-body";
import { publicRoute } from "@/lib/api/route";
import { signIn } from "@/lib/auth/auth";
import { usernameSchema } from "@/lib/auth/credentials";
import { issueSignInTicket } from "@/lib/auth/sign-in-tickets";
import { env } from "@/lib/config/env";
import { joinAsGuest } from "@/lib/games/guests";
import { originAllowed, requestOrigin } from "@/lib/runtime/request-origin";
import { clientAddress } from "@/lib/server/client-address";

type Params = { code: string };

const guestBody = z.strictObject({ nickname: usernameSchema });

/**
 * A browser always sends Origin on a cross-site POST: refuse those, or any site could sign its
 * visitors in as guests (login CSRF). Scripts send none.
 */
function refuseForeignOrigin(request: Request): void {
  const origin = request.headers.get("origin") ?? undefined;
  if (!originAllowed(origin, requestOrigin(request.headers), env().ALLOWED_ORIGINS)) {
    throw new AppError("forbidden_origin", "Guests join from this site's own pages or from scripts.");
  }
}

export const POST = publicRoute<Params>(async ({ request, params }) => {
  refuseForeignOrigin(request);
  const address = clientAddress(request.headers);
  const { nickname } = await readJsonBody(request, guestBody);
  const joined = await joinAsGuest({ code: params.code, nickname }, address);
  await signIn("ticket", { ticket: issueSignInTicket(joined.user), redirect: false });
  return Response.json({ gameId: joined.gameId, user: joined.user }, { status: 201 });
});
