// Turns anything a route handler throws into the API's JSON error answer. Known errors keep
// their code and message, a database outage is a 503 `unavailable`; anything else is logged and
// answered as a bare 500, so no database error or stack trace ever reaches a client.
import { unstable_rethrow } from "next/navigation";
import { knownFailure } from "@/lib/runtime/database-outage";
import { log } from "@/lib/log";

export function errorResponse(error: unknown, request: Request): Response {
  // Next signals (dynamic usage during a build, redirects) travel as throws and must go on.
  unstable_rethrow(error);
  const known = knownFailure(error);
  if (known) {
    const { fields } = known.extras;
    return Response.json(
      { error: known.code, message: known.message, ...(fields ? { fields } : {}) },
      { status: known.status, headers: known.headers },
    );
  }
  log.error({ err: error, method: request.method, path: new URL(request.url).pathname }, "API request failed");
  return Response.json({ error: "internal", message: "Something went wrong on our side." }, { status: 500 });
}
