// POST /api/games/:id/clicks: defined in lib/api/click-route.ts. A running node answers it before
// Next (lib/server/direct-routes.ts); this file keeps it in Next's route tree all the same.
export { postClicks as POST } from "@/lib/api/click-route";
