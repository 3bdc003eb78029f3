"use client";
// The presenter's full screen (button and F key) and its other shortcuts; keys typed into a
// field, or with a modifier (browser shortcuts), are left alone.
import { useCallback, useEffect, useState, type RefObject } from "react";

function typingInto(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName))
  );
}

/** Whether `element` fills the screen, and a toggle for it. */
export function useFullScreen(element: RefObject<HTMLElement | null>): { fullScreen: boolean; toggle: () => void } {
  const [fullScreen, setFullScreen] = useState(false);
  useEffect(() => {
    const changed = () => setFullScreen(document.fullscreenElement !== null);
    document.addEventListener("fullscreenchange", changed);
    return () => document.removeEventListener("fullscreenchange", changed);
  }, []);
  const toggle = useCallback(() => {
    // A refusal (no user gesture, an iframe) leaves the screen as it is.
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void element.current?.requestFullscreen().catch(() => undefined);
  }, [element]);
  return { fullScreen, toggle };
}

/** Calls `keys[key]` for single-key shortcuts (lower-case keys). */
export function useShortcuts(keys: Record<string, (() => void) | undefined>): void {
  useEffect(() => {
    const pressed = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || typingInto(event.target)) return;
      const action = keys[event.key.toLowerCase()];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener("keydown", pressed);
    return () => window.removeEventListener("keydown", pressed);
  }, [keys]);
}
