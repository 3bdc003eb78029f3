// The lobby: my games with live totals, create a game, live lobby stats.
import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Lobby" };

export default async function LobbyPage() {
  const user = await requireUser();
  return <h1 className="text-2xl font-bold">Hello {user.username}</h1>;
}
