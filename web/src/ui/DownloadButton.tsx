import { useState } from "react";
import { download, failure } from "../api/client";

/** Downloads with the API key; a failure is said beside the button instead of lost in the console. */
export function DownloadButton({ path, fileName, label }: { path: string; fileName: string; label: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span className="download">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await download(path, fileName);
          } catch (e) {
            setError(failure(label, e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {label}
      </button>
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  );
}
