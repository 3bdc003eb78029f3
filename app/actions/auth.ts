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
import { createUser } from "@/lib/auth/users";
import { log } from "@/lib/log";
import { databaseUnavailable, isDatabaseUnavailable } from "@/lib/runtime/database-outage";
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
      // Auth.js keeps what failed in `cause.err`; an outage is logged once for the node, not per try.
      const failure = error.cause?.err ?? error;
      if (isDatabaseUnavailable(failure)) databaseUnavailable(failure);
      else log.error({ err: failure }, "sign-in failed");
      return {
        message: "Clickbus could not check your password just now. Please try again in a moment.",
        values: { username },
      };
    }
    throw error; // Auth.js redirects by throwing; let Next handle it.
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
  try {
    const created = await createUser(parsed.data);
    if (!created.ok)
      return { errors: { username: ["That username is taken. Try another one."] }, values: { username: raw.username } };
  } catch (error) {
    if (error instanceof HashQueueFull) return { message: BUSY_MESSAGE, values: { username: raw.username } };
    log.error({ err: error }, "sign-up failed");
    return { message: "Could not create the account. Please try again.", values: { username: raw.username } };
  }
  return signInWith(
    parsed.data.username,
    parsed.data.password,
    redirectTarget.parse(formField(formData, "redirectTo")),
  );
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
