// Someone's picture, or a coloured initial when they have none: enough to tell people apart at a
// glance. The picture's URL is their own (it changes with every new avatar), from our origin.

const COLOURS = ["#4f46e5", "#0e7490", "#b45309", "#be123c", "#15803d", "#7c3aed", "#c2410c", "#0369a1"];

export function Avatar({
  name,
  id,
  online,
  url,
}: {
  name: string;
  id: string;
  online?: boolean;
  url?: string | null;
}) {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (
    <span class="avatar" style={{ background: COLOURS[hash % COLOURS.length] }} aria-hidden="true">
      {url ? <img src={url} alt="" width={36} height={36} /> : (name.trim()[0] ?? "?").toUpperCase()}
      {online !== undefined && <span class={online ? "presence online" : "presence"} />}
    </span>
  );
}
