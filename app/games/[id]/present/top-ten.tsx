"use client";
// The presenter's top ten: ten fixed rows, one per rank, whose names and counts change in place.
// No row ever moves, so nothing overlaps however often a close race of a thousand players
// reshuffles the ranks (sliding rows crossed each other and were unreadable there), and the DOM
// order is the rank order screen readers read. The board is redrawn at most every RERANK_MS,
// names and counts together, so they agree.
import { useEffect, useRef, useState } from "react";
import type { MemberView } from "@/lib/games/games";

const TOP = 10;
const RERANK_MS = 1000;

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

/** The count column fits this many digits and separators, so a longer count never moves the name. */
const countWidth = (top: MemberView[]) =>
  `${Math.max(3, ...top.map((member) => member.clicks.toLocaleString("en").length))}ch`;

export function TopTen({ members }: { members: MemberView[] }) {
  const top = useSettledRanking(members);
  const width = countWidth(top);
  return (
    <section
      aria-labelledby="top-ten-heading"
      className="flex min-h-0 flex-col gap-[1.5vh] overflow-hidden rounded-2xl bg-slate-900 p-[2vh]"
    >
      <h2 id="top-ten-heading" className="text-[3vh] font-bold uppercase tracking-wider text-slate-300">
        Top ten
      </h2>
      {top.length === 0 ? <p className="text-[2.6vh] text-slate-400">No players yet: scan the code to join.</p> : null}
      <ol aria-label="Top ten" className="flex min-h-0 flex-col gap-[0.8vh]">
        {/* Keyed by rank: a row is a place on the board, and only what it shows changes. */}
        {top.map((member, index) => (
          <li
            key={index}
            className={`flex h-[6.4vh] shrink-0 items-center gap-[1vw] rounded-xl px-[1vw] text-[3.4vh] font-bold ${index === 0 ? "bg-amber-300 text-slate-950" : "bg-slate-800"}`}
          >
            <span className="w-[2.2em] shrink-0 text-right tabular-nums opacity-70">{index + 1}.</span>
            <span className="min-w-0 flex-1 truncate">{member.username}</span>
            <output
              aria-live="off"
              aria-label={`${member.username} clicks`}
              className="shrink-0 text-right tabular-nums"
              style={{ minWidth: width }}
            >
              {member.clicks.toLocaleString("en")}
            </output>
          </li>
        ))}
      </ol>
    </section>
  );
}
