import type { LinkPreview } from "../api/types";

// A message's link preview, fetched by the server: the image comes from our own origin (the server
// keeps a copy), so opening a room tells the linked site nothing. Its author may remove it.

export function LinkCard(props: { preview: LinkPreview; onRemove?: () => void }) {
  const { preview } = props;
  return (
    <article class="link-card" aria-label={`Link preview: ${preview.title}`}>
      {preview.imageUrl && <img class="link-image" src={preview.imageUrl} alt="" loading="lazy" />}
      <div class="link-text">
        {preview.siteName && <span class="link-site">{preview.siteName}</span>}
        <a class="link-title" href={preview.url} target="_blank" rel="noopener noreferrer nofollow">
          {preview.title}
        </a>
        {preview.description && <p class="link-description">{preview.description}</p>}
      </div>
      {props.onRemove && (
        <button
          type="button"
          class="icon-button link-remove"
          aria-label="Remove the link preview"
          onClick={props.onRemove}
        >
          ✕
        </button>
      )}
    </article>
  );
}
