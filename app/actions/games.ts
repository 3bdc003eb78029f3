"use server";
// The game's server actions. Each is a public POST endpoint: arguments are validated with zod
// inside the lib functions, and the acting user always comes from the session.
import { redirect } from "next/navigation";
import { addClicks, type AddClicksResult } from "@/lib/games/clicks";
import { createGame, deleteGame, renameGame } from "@/lib/games/games";
import { regenerateInviteLink, revokeInviteLink } from "@/lib/games/invite-link";
import { inviteMember, joinByInviteCode, removeMember } from "@/lib/games/members";
import { z } from "zod";
import { formField, runAction, runActionOnce, toFormState, type ActionResult, type FormState } from "./run-action";

export async function addClicksAction(input: unknown): Promise<ActionResult<AddClicksResult>> {
  return runAction("addClicks", (user) => addClicks(user, input));
}

const createdGame = z.object({ id: z.number().int().positive() });

/** `gameId`: the game made (or made by the first try of this submission); the form goes there. */
export type CreateGameState = FormState & { gameId?: number };

export async function createGameAction(_state: CreateGameState, formData: FormData): Promise<CreateGameState> {
  const result = await runActionOnce("createGame", formData, createdGame, async (user) => {
    const { id } = await createGame(user, { name: formField(formData, "name") });
    return { id };
  });
  return result.ok ? { ok: true, gameId: result.value.id, at: Date.now() } : toFormState(result, "");
}

export async function renameGameAction(gameId: number, _state: FormState, formData: FormData): Promise<FormState> {
  return toFormState(
    await runAction("renameGame", (user) => renameGame(user, gameId, { name: formField(formData, "name") })),
    "Renamed.",
  );
}

const invited = z.object({ username: z.string() });

export async function inviteMemberAction(gameId: number, _state: FormState, formData: FormData): Promise<FormState> {
  const result = await runActionOnce("inviteMember", formData, invited, async (user) => {
    const { username } = await inviteMember(user, gameId, { username: formField(formData, "username") });
    return { username };
  });
  return toFormState(result, result.ok ? `${result.value.username} joined the game.` : "");
}

export async function removeMemberAction(gameId: number, userId: number): Promise<ActionResult<void>> {
  return runAction("removeMember", (user) => removeMember(user, gameId, userId));
}

export async function leaveGameAction(gameId: number): Promise<ActionResult<void>> {
  const result = await runAction("leaveGame", (user) => removeMember(user, gameId, user.id));
  if (result.ok) redirect("/");
  return result;
}

export async function deleteGameAction(gameId: number): Promise<ActionResult<void>> {
  const result = await runAction("deleteGame", (user) => deleteGame(user, gameId));
  if (result.ok) redirect("/");
  return result;
}

export async function regenerateInviteLinkAction(gameId: number): Promise<ActionResult<string | null>> {
  return runAction("regenerateInviteLink", (user) => regenerateInviteLink(user, gameId));
}

export async function revokeInviteLinkAction(gameId: number): Promise<ActionResult<void>> {
  return runAction("revokeInviteLink", (user) => revokeInviteLink(user, gameId));
}

/** The Join button of an invite link: a POST, so that merely opening a link never joins. */
export async function joinGameAction(_state: FormState, formData: FormData): Promise<FormState> {
  const result = await runAction("joinGame", (user) => joinByInviteCode(user, formField(formData, "code")));
  if (!result.ok) return toFormState(result, "");
  redirect(`/games/${result.value}`);
}
