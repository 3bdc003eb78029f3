"use server";
// Settings actions: API tokens (created, listed, revoked), "sign out everywhere", and a guest's
// first password.
import { passwordSchema } from "@/lib/auth/credentials";
import { setGuestPassword } from "@/lib/auth/users";
import { createApiToken } from "@/lib/auth/api-tokens";
import { revokeApiToken } from "@/lib/realtime/revoke-api-token";
import { signOutEverywhere } from "@/lib/realtime/sign-out-everywhere";
import { signOut } from "@/lib/auth/auth";
import { z } from "zod";
import { parseInput } from "@/lib/runtime/app-error";
import { userIdSchema } from "@/lib/games/schemas";
import { formField, runAction, runActionOnce, type ActionResult } from "./run-action";

/** `token`: the secret, on the first answer only; a retried submission's answer has the name alone. */
export type TokenFormState = { token?: string; name?: string; repeated?: boolean; message?: string };

const createdToken = z.object({ token: z.string().nullable(), name: z.string() });

export async function createTokenAction(_state: TokenFormState, formData: FormData): Promise<TokenFormState> {
  const result = await runActionOnce(
    "createToken",
    formData,
    createdToken,
    async (user) => {
      const { token, summary } = await createApiToken(user.id, formField(formData, "name"));
      return { token, name: summary.name };
    },
    // The secret is never stored: a retry after a lost answer learns the token exists, not its value.
    (first) => ({ ...first, token: null }),
  );
  if (!result.ok) return { message: result.message };
  const { token, name } = result.value;
  return token === null ? { name, repeated: true } : { token, name };
}

export async function revokeTokenAction(tokenId: number): Promise<ActionResult<boolean>> {
  return runAction("revokeToken", (user) => revokeApiToken(user.id, parseInput(userIdSchema, tokenId)));
}

export async function signOutEverywhereAction(): Promise<void> {
  const result = await runAction("signOutEverywhere", (user) => signOutEverywhere(user.id));
  if (result.ok) await signOut({ redirectTo: "/sign-in" });
}

export type PasswordFormState = { ok?: boolean; message?: string; errors?: { password?: string[] } };

/** A guest keeps the account by giving it a password (lib/auth/users.ts setGuestPassword). */
export async function setGuestPasswordAction(
  _state: PasswordFormState,
  formData: FormData,
): Promise<PasswordFormState> {
  const parsed = passwordSchema.safeParse(formField(formData, "password"));
  if (!parsed.success) return { ok: false, errors: { password: parsed.error.issues.map((issue) => issue.message) } };
  const result = await runAction("setGuestPassword", (user) => setGuestPassword(user.id, parsed.data));
  if (!result.ok) return { ok: false, message: result.message };
  if (!result.value) return { ok: false, message: "This account has a password already." };
  // No revalidation: the section stays to show this message, and is gone on the next visit.
  return { ok: true, message: "Password set: this is a normal account now, and you can sign in with it anywhere." };
}
