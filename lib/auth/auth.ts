// Auth.js v5 set-up: Credentials (username + password, or a new account's one-time ticket), JWT sessions
// that carry the user's session epoch, so "sign out everywhere" invalidates every token at once.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "@/lib/config/env";
import { HashQueueFull } from "./password";
import { redeemSignInTicket } from "./sign-in-tickets";
import { currentEpoch, verifyCredentials } from "./users";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string };
  }
}

/** The `code` of a sign-in refused because the node's password-hash queue is full. */
export const SERVER_BUSY_CODE = "server_busy";

/**
 * Auth.js passes a CredentialsSignin's `code` on (to signIn's caller, or as `?code=` of the
 * sign-in page), so a busy node is not reported as a wrong password.
 */
class ServerBusySignIn extends CredentialsSignin {
  override code = SERVER_BUSY_CODE;
}

const config = {
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { username: { label: "Username" }, password: { label: "Password", type: "password" } },
      async authorize(input) {
        const user = await verifyCredentials(input).catch((error: unknown) => {
          if (error instanceof HashQueueFull) throw new ServerBusySignIn();
          throw error;
        });
        return user ? { id: String(user.id), name: user.username } : null;
      },
    }),
    // An account just created in this request (a guest through an invite link, or a sign-up)
    // signs in with the request's one-time ticket, so the session is made by Auth.js like any
    // other, without hashing a password a second time (a sign-up's own hash proved it already).
    Credentials({
      id: "ticket",
      name: "One-time ticket",
      credentials: { ticket: {} },
      authorize(input) {
        const user = redeemSignInTicket(input.ticket);
        return user ? { id: String(user.id), name: user.username } : null;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      const userId = Number(user?.id ?? token.sub);
      const epoch = Number.isInteger(userId) ? await currentEpoch(userId) : null;
      if (epoch === null) return null;
      if (user) return { ...token, sub: String(userId), name: user.name, epoch };
      // Returning null ends the session: the user was deleted or signed out everywhere.
      return token.epoch === epoch ? token : null;
    },
    session({ session, token }) {
      return { ...session, user: { ...session.user, id: token.sub ?? "", name: token.name ?? "" } };
    },
  },
} satisfies NextAuthConfig;

export const { handlers, signIn, signOut } = NextAuth(config);
