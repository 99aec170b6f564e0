import type { Upload } from "../state/uploads";
import { formatSize } from "../state/uploads";

// The files about to be sent, under the composer: a progress bar each while it uploads (with
// Cancel), Retry or Remove when it failed, Remove when it is ready.

export function UploadTray(props: {
  uploads: Upload[];
  onCancel: (localId: string) => void;
  onRetry: (localId: string) => void;
}) {
  if (props.uploads.length === 0) return null;
  return (
    <ul class="upload-tray" aria-label="Files to send">
      {props.uploads.map((upload) => (
        <li key={upload.localId} class={`upload ${upload.status}`} data-status={upload.status}>
          <span class="upload-name" title={upload.name}>
            {upload.name}
          </span>
          <span class="upload-size">{formatSize(upload.size)}</span>
          {upload.status === "uploading" && (
            <progress
              max={1}
              value={upload.progress}
              aria-label={`Uploading ${upload.name}`}
              aria-valuetext={`${Math.round(upload.progress * 100)}%`}
            />
          )}
          {upload.status === "failed" && (
            <span class="upload-error" role="alert">
              {upload.error ?? "Failed"}{" "}
              <button type="button" class="link-button" onClick={() => props.onRetry(upload.localId)}>
                Retry
              </button>
            </span>
          )}
          <button
            type="button"
            class="icon-button"
            aria-label={upload.status === "uploading" ? `Cancel ${upload.name}` : `Remove ${upload.name}`}
            onClick={() => props.onCancel(upload.localId)}
          >
            ✕
          </button>
        </li>
      ))}
    </ul>
  );
}
