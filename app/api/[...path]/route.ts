// Any path under /api that names no endpoint: the API's own JSON 404, like an unknown record,
// instead of Next's HTML not-found page, so a script reads `{ error }` from every answer.
// (A real endpoint asked with a method it lacks still gets Next's empty 405.)
import { AppError } from "@/lib/runtime/app-error";
import { publicRoute } from "@/lib/api/route";

const noSuchEndpoint = publicRoute<{ path: string[] }>(() => {
  throw new AppError("not_found", "No such API endpoint.");
});

export {
  noSuchEndpoint as DELETE,
  noSuchEndpoint as GET,
  noSuchEndpoint as PATCH,
  noSuchEndpoint as POST,
  noSuchEndpoint as PUT,
};
