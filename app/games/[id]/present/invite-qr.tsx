"use client";
// The presenter's invite: the link as a QR code (the `qrcode` package's encoding, drawn as one
// SVG path, dark on light so phones scan it off a projector) and as short text. Only the owner
// holds the link; a link to this machine's loopback name gets a warning, as phones cannot open it.
import QRCode from "qrcode";
import { useMemo, useSyncExternalStore, useTransition } from "react";
import { regenerateInviteLinkAction } from "@/app/actions/games";

const QUIET_ZONE = 4;
const noSubscription = () => () => undefined;

/** The page's origin once in the browser (null while server rendering). */
function useOrigin(): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => null,
  );
}

function modulesPath(text: string): { size: number; d: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  let d = "";
  for (let row = 0; row < modules.size; row += 1)
    for (let col = 0; col < modules.size; col += 1) if (modules.get(row, col)) d += `M${col} ${row}h1v1h-1z`;
  return { size: modules.size, d };
}

function QrCode({ link }: { link: string }) {
  const { size, d } = useMemo(() => modulesPath(link), [link]);
  const box = size + QUIET_ZONE * 2;
  return (
    <svg
      role="img"
      aria-label={`QR code of the invite link ${link}`}
      viewBox={`${-QUIET_ZONE} ${-QUIET_ZONE} ${box} ${box}`}
      shapeRendering="crispEdges"
      className="aspect-square h-auto max-h-[38vh] w-full rounded-xl bg-white"
    >
      <path d={d} fill="#000" />
    </svg>
  );
}

function CreateLink({ gameId }: { gameId: number }) {
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => startTransition(async () => void (await regenerateInviteLinkAction(gameId)))}
      className="rounded-xl bg-amber-300 px-[1.5vw] py-[1.2vh] text-[2.6vh] font-bold text-slate-950 hover:bg-amber-200 disabled:opacity-60"
    >
      {pending ? "Creating…" : "Create invite link"}
    </button>
  );
}

export function InviteQr({
  gameId,
  inviteCode,
  isOwner,
}: {
  gameId: number;
  inviteCode: string | null;
  isOwner: boolean;
}) {
  const origin = useOrigin();
  const link = origin && inviteCode ? `${origin}/join/${inviteCode}` : null;
  const loopback = origin !== null && /^https?:\/\/(localhost|127\.[\d.]+|\[::1\])(:\d+)?$/.test(origin);
  return (
    <section
      aria-labelledby="join-heading"
      className="flex min-h-0 flex-col items-center gap-[1.2vh] rounded-2xl bg-slate-900 p-[2vh] text-center"
    >
      <h2 id="join-heading" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
        Join the game
      </h2>
      {link ? (
        <>
          <QrCode link={link} />
          <p className="w-full text-[2.2vh] font-semibold break-all text-white">{link.replace(/^https?:\/\//, "")}</p>
          {loopback ? (
            <p className="text-[1.8vh] text-amber-300">
              This link points at this computer: open the presenter screen through its network address so that phones
              can join.
            </p>
          ) : null}
        </>
      ) : inviteCode === null && isOwner ? (
        <CreateLink gameId={gameId} />
      ) : inviteCode === null ? (
        <p className="text-[2.4vh] text-slate-300">Ask the game&apos;s owner for the invite link.</p>
      ) : null}
    </section>
  );
}
