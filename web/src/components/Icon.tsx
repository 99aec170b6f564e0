import type { ComponentChildren } from "preact";

// A line icon (24 × 24, drawn with the text's colour), for the header's, the call's and the composer's icons. Always
// beside a label a screen reader reads (aria-label or visible text), so it is hidden from it.

export function Icon({ children, size = 20 }: { children: ComponentChildren; size?: number }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width={size}
      height={size}
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      {children}
    </svg>
  );
}
