// Liveness probe: answers without touching a session.
export function GET(): Response {
  return Response.json({ ok: true });
}
