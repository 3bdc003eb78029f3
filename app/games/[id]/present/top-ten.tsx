"use client";
// The presenter's top ten. Rows keep their DOM order equal to their rank (screen readers read the
// ranking as it is); a rank change slides each row from its old place (FLIP, Web Animations),
// unless the viewer prefers reduced motion. The board is redrawn at most every RERANK_MS: a busy
// room would otherwise keep every row in motion, and nobody could read it.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { MemberView } from "@/lib/games/games";

const TOP = 10;
const RERANK_MS = 1500;

/** The top ten as of the last re-ranking (names, counts and order together, so they agree). */
function useSettledRanking(members: MemberView[]): MemberView[] {
  const [ranking, setRanking] = useState(() => members.slice(0, TOP));
  const rankedAt = useRef(0);
  useEffect(() => {
    const timer = setTimeout(
      () => {
        rankedAt.current = Date.now();
        setRanking(members.slice(0, TOP));
      },
      Math.max(0, RERANK_MS - (Date.now() - rankedAt.current)),
    );
    return () => clearTimeout(timer);
  }, [members]);
  return ranking;
}

function useRankAnimation(order: string) {
  const rows = useRef(new Map<number, HTMLLIElement>());
  const lastTop = useRef(new Map<number, number>());
  useLayoutEffect(() => {
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    for (const [id, row] of rows.current) {
      const top = row.offsetTop;
      const before = lastTop.current.get(id);
      lastTop.current.set(id, top);
      if (still) continue;
      if (before === undefined) row.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 400 });
      else if (before !== top) row.animate([{ transform: `translateY(${before - top}px)` }, { transform: "none" }], { duration: 600, easing: "cubic-bezier(.2,.8,.2,1)" });
    }
  }, [order]);
  return (id: number) => (row: HTMLLIElement | null) => {
    if (row) rows.current.set(id, row);
    else rows.current.delete(id);
  };
}

export function TopTen({ members }: { members: MemberView[] }) {
  const top = useSettledRanking(members);
  const rowRef = useRankAnimation(top.map((member) => member.id).join(","));
  return (
    <section aria-labelledby="top-ten-heading" className="flex min-h-0 flex-col gap-[1.5vh] rounded-2xl bg-slate-900 p-[2vh]">
      <h2 id="top-ten-heading" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
        Top ten
      </h2>
      {top.length === 0 ? <p className="text-[2.6vh] text-slate-400">No players yet: scan the code to join.</p> : null}
      <ol aria-label="Top ten" className="flex min-h-0 flex-col gap-[0.8vh]">
        {top.map((member, index) => (
          <li key={member.id} ref={rowRef(member.id)} className={`flex h-[6.4vh] items-center gap-[1vw] rounded-xl px-[1vw] text-[3.4vh] font-bold ${index === 0 ? "bg-amber-300 text-slate-950" : "bg-slate-800"}`}>
            <span className="w-[2.2em] text-right tabular-nums opacity-70">{index + 1}.</span>
            <span className="min-w-0 flex-1 truncate">{member.username}</span>
            <output aria-live="off" aria-label={`${member.username} clicks`} className="tabular-nums">
              {member.clicks.toLocaleString("en")}
            </output>
          </li>
        ))}
      </ol>
    </section>
  );
}
