// Clickbus's answer to the bus's handshake question (lib/bus/bus-user.ts): a socket is the user
// of its Auth.js session cookie, or of the `cbt_` API token in its `auth.token`.
import { z } from "zod";
import { apiTokenSession } from "@/lib/auth/api-tokens";
import { sessionFromCookieHeader } from "@/lib/auth/session-token";
import type { SessionUser } from "@/lib/auth/users";
import type { Authenticate } from "@/lib/bus/bus-user";
import { requestScheme } from "@/lib/runtime/request-origin";

const handshakeAuth = z.object({ token: z.string().max(256) });

export const authenticateSocket: Authenticate<SessionUser> = async ({ headers, auth }) => {
  const session = await sessionFromCookieHeader(headers.cookie, requestScheme(headers));
  if (session) return { user: session.user, credential: { kind: "session", expiresAt: session.expiresAt } };
  const parsed = handshakeAuth.safeParse(auth);
  const token = parsed.success ? await apiTokenSession(parsed.data.token) : null;
  return token ? { user: token.user, credential: { kind: "token", tokenId: token.tokenId } } : null;
};
