// A coloured initial: enough to tell people apart at a glance without images.

const COLOURS = ["#4f46e5", "#0e7490", "#b45309", "#be123c", "#15803d", "#7c3aed", "#c2410c", "#0369a1"];

export function Avatar({ name, id, online }: { name: string; id: string; online?: boolean }) {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (
    <span class="avatar" style={{ background: COLOURS[hash % COLOURS.length] }} aria-hidden="true">
      {(name.trim()[0] ?? "?").toUpperCase()}
      {online !== undefined && <span class={online ? "presence online" : "presence"} />}
    </span>
  );
}
