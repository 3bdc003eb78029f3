"use server";
// Settings actions: API tokens (created, listed, revoked) and "sign out everywhere".
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { signOutEverywhere } from "@/lib/auth/sign-out-everywhere";
import { signOut } from "@/lib/auth/auth";
import { parseInput } from "@/lib/games/errors";
import { userIdSchema } from "@/lib/games/schemas";
import { formField, runAction, type ActionResult } from "./run-action";

export type TokenFormState = { token?: string; name?: string; message?: string };

export async function createTokenAction(_state: TokenFormState, formData: FormData): Promise<TokenFormState> {
  const result = await runAction("createToken", (user) => createApiToken(user.id, formField(formData, "name")));
  return result.ok ? { token: result.value.token, name: result.value.summary.name } : { message: result.message };
}

export async function revokeTokenAction(tokenId: number): Promise<ActionResult<boolean>> {
  return runAction("revokeToken", (user) => revokeApiToken(user.id, parseInput(userIdSchema, tokenId)));
}

export async function signOutEverywhereAction(): Promise<void> {
  const result = await runAction("signOutEverywhere", (user) => signOutEverywhere(user.id));
  if (result.ok) await signOut({ redirectTo: "/sign-in" });
}
