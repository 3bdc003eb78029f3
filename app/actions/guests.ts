"use server";
// Join as guest (the invite link's form for signed-out visitors): creates the guest, joins the
// game, then has Auth.js sign the guest in with a one-time ticket and land them on the game.
import { headers } from "next/headers";
import { signIn } from "@/lib/auth/auth";
import { currentUser } from "@/lib/auth/current-user";
import { issueSignInTicket } from "@/lib/auth/sign-in-tickets";
import { AppError } from "@/lib/runtime/app-error";
import { joinAsGuest, type GuestJoin } from "@/lib/games/guests";
import { log } from "@/lib/log";
import { clientAddress } from "@/lib/server/client-address";
import { formField } from "./run-action";

export type GuestJoinState = {
  message?: string;
  errors?: { nickname?: string[] };
  values?: { nickname: string };
  /** Set when the join was refused for now (the room is filling up): the form tries again after it. */
  retryAfterSeconds?: number;
};

function refusal(error: AppError, nickname: string): GuestJoinState {
  const values = { nickname };
  // Grammar and uniqueness are about the field; a bad link, a full game or a rate limit is about the form.
  if (error.code === "invalid" || error.code === "conflict") return { errors: { nickname: [error.message] }, values };
  const { retryAfterSeconds } = error.extras;
  if (error.code === "rate_limited" && retryAfterSeconds !== undefined)
    return { message: error.message, values, retryAfterSeconds };
  return { message: error.message, values };
}

export async function joinAsGuestAction(_state: GuestJoinState, formData: FormData): Promise<GuestJoinState> {
  const nickname = String(formField(formData, "nickname") ?? "");
  if (await currentUser())
    return { message: "You are signed in already: reload this page to join with your account.", values: { nickname } };
  let joined: GuestJoin;
  try {
    joined = await joinAsGuest({ code: formField(formData, "code"), nickname }, clientAddress(await headers()));
  } catch (error) {
    if (error instanceof AppError) return refusal(error, nickname);
    log.error({ err: error }, "guest join failed");
    return { message: "Could not join. Please try again.", values: { nickname } };
  }
  // Redirects by throwing, so it stays outside the try.
  await signIn("ticket", { ticket: issueSignInTicket(joined.user), redirectTo: `/games/${joined.gameId}` });
  return {};
}
