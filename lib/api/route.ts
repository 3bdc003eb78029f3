// The wrappers every API route handler is built from: `apiRoute` authenticates the caller,
// applies the Origin rule to cookie-authenticated writes, and maps every failure to JSON;
// `publicRoute` does only the mapping, for endpoints open to anyone.
import type { SessionUser } from "@/lib/auth/users";
import { authenticate } from "./authenticate";
import { errorResponse } from "./error-response";
import { requireAllowedOrigin } from "./origin-check";

/** What Next passes as a handler's second argument (params is a Promise since Next 15). */
export type HandlerContext<P> = { params: Promise<P> };

type Handler<P, Extra> = (input: { request: Request; params: P } & Extra) => Response | Promise<Response>;

export function apiRoute<P = Record<string, never>>(handler: Handler<P, { user: SessionUser }>) {
  return async (request: Request, context: HandlerContext<P>): Promise<Response> => {
    try {
      const caller = await authenticate(request);
      requireAllowedOrigin(request, caller);
      return await handler({ request, params: await context.params, user: caller.user });
    } catch (error) {
      return errorResponse(error, request);
    }
  };
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
