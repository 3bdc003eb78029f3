// Opening an invite link: signed in → join the game and go to it; signed out → sign in first.
import { notFound, redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { GameError } from "@/lib/games/errors";
import { joinByInviteCode } from "@/lib/games/members";

export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/join/${code}`)}`);
  let gameId: number;
  try {
    gameId = joinByInviteCode(user, code);
  } catch (error) {
    if (error instanceof GameError && error.code === "not_found") notFound();
    throw error;
  }
  redirect(`/games/${gameId}`);
}
