"use server";
// Sign-up, sign-in and sign-out actions. Each parses its FormData with the shared credentials
// schema and returns a form state that the forms render; Auth.js does the session work.
import { AuthError, CredentialsSignin } from "next-auth";
import { z } from "zod";
import { headers } from "next/headers";
import { SERVER_BUSY_CODE, signIn, signOut } from "@/lib/auth/auth";
import { admitSignIn, admitSignUp, tooManyAttempts } from "@/lib/auth/auth-limits";
import { credentialsSchema } from "@/lib/auth/credentials";
import { BUSY_MESSAGE, HashQueueFull } from "@/lib/auth/password";
import { issueSignInTicket } from "@/lib/auth/sign-in-tickets";
import { createUser, type CreateUserResult, type SessionUser } from "@/lib/auth/users";
import { log } from "@/lib/log";
import { noteIfDatabaseUnavailable } from "@/lib/runtime/database-outage";
import { clientAddress } from "@/lib/server/client-address";
import { formField } from "./run-action";

export type AuthFormState = {
  message?: string;
  errors?: { username?: string[]; password?: string[] };
  values?: { username: string };
};

const redirectTarget = z
  .string()
  .regex(/^\/(?!\/)[\w\-/?=&%.]*$/)
  .catch("/");

function fields(formData: unknown) {
  return {
    username: String(formField(formData, "username") ?? ""),
    password: String(formField(formData, "password") ?? ""),
  };
}

/** Logs what an AuthError wraps (the database away, most often), an outage once for the node. */
function logAuthFailure(error: AuthError, message: string): void {
  // Auth.js keeps what failed in `cause.err`.
  const failure = error.cause?.err ?? error;
  if (!noteIfDatabaseUnavailable(failure)) log.error({ err: failure }, message);
}

async function signInWith(username: string, password: string, redirectTo: string): Promise<AuthFormState> {
  try {
    await signIn("credentials", { username, password, redirectTo });
    return {};
  } catch (error) {
    // Only CredentialsSignin means the password did not match (unless its code says the node was
    // too busy to check it); any other AuthError wraps a failure behind it (the database away,
    // most often), and "wrong password" would mislead.
    if (error instanceof CredentialsSignin && error.code === SERVER_BUSY_CODE) {
      return { message: BUSY_MESSAGE, values: { username } };
    }
    if (error instanceof AuthError && error.type === "CredentialsSignin") {
      return { message: "Wrong username or password.", values: { username } };
    }
    if (error instanceof AuthError) {
      logAuthFailure(error, "sign-in failed");
      return {
        message: "Clickbus could not check your password just now. Please try again in a moment.",
        values: { username },
      };
    }
    throw error; // Auth.js redirects by throwing; let Next handle it.
  }
}

/**
 * Signs a just-created account in with a one-time ticket: its password was hashed a moment ago,
 * and checking it again would cost a second hash slot, which a busy node could refuse after the
 * account exists (the form said "busy", the retry "username taken").
 */
async function signInCreated(user: SessionUser, redirectTo: string): Promise<AuthFormState> {
  try {
    await signIn("ticket", { ticket: issueSignInTicket(user), redirectTo });
    return {};
  } catch (error) {
    if (!(error instanceof AuthError)) throw error; // the redirect
    logAuthFailure(error, "sign-in after sign-up failed");
    return {
      message: "Your account was created, but Clickbus could not sign you in just now. Please sign in in a moment.",
      values: { username: user.username },
    };
  }
}

export async function signInAction(_state: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const { username, password } = fields(formData);
  if (!username || !password) return { message: "Enter your username and password.", values: { username } };
  const admitted = await admitSignIn(clientAddress(await headers()), username);
  if (!admitted.ok) return { message: tooManyAttempts(admitted), values: { username } };
  return signInWith(username, password, redirectTarget.parse(formField(formData, "redirectTo")));
}

export async function signUpAction(_state: AuthFormState, formData: FormData): Promise<AuthFormState> {
  const raw = fields(formData);
  const admitted = await admitSignUp(clientAddress(await headers()));
  if (!admitted.ok) return { message: tooManyAttempts(admitted), values: { username: raw.username } };
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) {
    return { errors: z.flattenError(parsed.error).fieldErrors, values: { username: raw.username } };
  }
  let created: CreateUserResult;
  try {
    created = await createUser(parsed.data);
  } catch (error) {
    if (error instanceof HashQueueFull) return { message: BUSY_MESSAGE, values: { username: raw.username } };
    log.error({ err: error }, "sign-up failed");
    return { message: "Could not create the account. Please try again.", values: { username: raw.username } };
  }
  if (!created.ok)
    return { errors: { username: ["That username is taken. Try another one."] }, values: { username: raw.username } };
  return signInCreated(created.user, redirectTarget.parse(formField(formData, "redirectTo")));
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
