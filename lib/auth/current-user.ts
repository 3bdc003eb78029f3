// The signed-in user of the current request (server components, actions, route handlers).
import { redirect } from "next/navigation";
import { auth } from "./auth";
import type { SessionUser } from "./users";

export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = Number(session?.user?.id);
  return session?.user && Number.isSafeInteger(id) && id > 0 ? { id, username: session.user.name } : null;
}

/** The signed-in user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}
