// The header on every page: the name, navigation and, when signed in, who you are and sign-out.
import Link from "next/link";
import { signOutAction } from "@/app/actions/auth";
import { currentUser } from "@/lib/auth/current-user";

export async function SiteHeader() {
  const user = await currentUser();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link href="/" className="mr-auto text-lg font-extrabold tracking-tight text-indigo-700">
          Clickbus
        </Link>
        {user ? (
          <>
            <Link href="/" className="text-sm font-medium text-slate-700 hover:text-indigo-700">
              Lobby
            </Link>
            <Link href="/settings" className="text-sm font-medium text-slate-700 hover:text-indigo-700">
              Settings
            </Link>
            <span className="text-sm text-slate-500">
              Signed in as <strong className="text-slate-800">{user.username}</strong>
            </span>
            <form action={signOutAction}>
              <button
                type="submit"
                className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100"
              >
                Sign out
              </button>
            </form>
          </>
        ) : (
          <>
            <Link href="/sign-in" className="text-sm font-medium text-slate-700 hover:text-indigo-700">
              Sign in
            </Link>
            <Link href="/sign-up" className="text-sm font-medium text-slate-700 hover:text-indigo-700">
              Sign up
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
