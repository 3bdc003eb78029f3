// The wrappers every API route handler is built from: `apiRoute` authenticates the caller,
// applies the Origin rule to cookie-authenticated writes, answers a POST's Idempotency-Key, and
// maps every failure to JSON; `publicRoute` does only the mapping, for endpoints open to anyone.
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/users";
import { AppError } from "@/lib/runtime/app-error";
import { authenticate } from "./authenticate";
import { errorResponse } from "./error-response";
import { answerOnce, fingerprintOf, idempotencyKey } from "./idempotency";
import { readCapped } from "./json-body";
import { requireAllowedOrigin } from "./origin-check";

/** What Next passes as a handler's second argument (params is a Promise since Next 15). */
export type HandlerContext<P> = { params: Promise<P> };

type Handler<P, Extra> = (input: { request: Request; params: P } & Extra) => Response | Promise<Response>;

/** What of a first answer a repeat gets back: its body and the Location of what it made. */
const keptResponse = z.object({ body: z.string(), location: z.string().nullable() });
type KeptResponse = z.infer<typeof keptResponse>;

/**
 * `secretAnswer`: the answer holds a secret shown once (a new API token), which is never kept: a
 * repeat of its Idempotency-Key is refused with 409 instead of answered again.
 */
export type ApiRouteOptions = { secretAnswer?: boolean };

export function apiRoute<P = Record<string, never>>(
  handler: Handler<P, { user: SessionUser }>,
  options: ApiRouteOptions = {},
) {
  return async (request: Request, context: HandlerContext<P>): Promise<Response> => {
    try {
      const caller = await authenticate(request);
      requireAllowedOrigin(request, caller);
      const params = await context.params;
      const respond = async () => {
        try {
          return await handler({ request, params, user: caller.user });
        } catch (error) {
          return errorResponse(error, request);
        }
      };
      return await answeringIdempotently(request, caller.user.id, respond, options);
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

/** A POST with an Idempotency-Key is answered once per key (lib/api/idempotency.ts); anything else as it comes. */
async function answeringIdempotently(
  request: Request,
  userId: number,
  respond: () => Promise<Response>,
  options: ApiRouteOptions,
): Promise<Response> {
  const header = request.headers.get("idempotency-key");
  if (request.method !== "POST" || header === null) return respond();
  const key = idempotencyKey.safeParse(header);
  if (!key.success) throw new AppError("invalid", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
  const body = new TextDecoder().decode(await readCapped(request.clone()));
  const fingerprint = fingerprintOf(request.method, new URL(request.url).pathname, body);
  let first: Response | undefined;
  const answer = await answerOnce(userId, key.data, fingerprint, async () => {
    first = await respond();
    // Kept as its status alone when it holds a secret: a repeat is refused below.
    if (options.secretAnswer) return { status: first.status, body: "" };
    const kept: KeptResponse = { body: await first.clone().text(), location: first.headers.get("location") };
    return { status: first.status, body: JSON.stringify(kept) };
  });
  if (!answer.replayed && first) return first;
  if (options.secretAnswer)
    throw new AppError(
      "conflict",
      "The first request with this Idempotency-Key was answered already, with a secret that is shown only once.",
    );
  const kept = keptResponse.parse(JSON.parse(answer.body));
  return new Response(kept.body, {
    status: answer.status,
    headers: {
      "content-type": "application/json",
      "idempotent-replayed": "true",
      ...(kept.location === null ? {} : { location: kept.location }),
    },
  });
}

export function publicRoute<P = Record<string, never>>(handler: Handler<P, object>) {
  return async (request: Request, context: HandlerContext<P>): Promise<Response> => {
    try {
      return await handler({ request, params: await context.params });
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}
