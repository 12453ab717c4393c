import { Diff, Hunk, parseDiff } from "react-diff-view";
import "react-diff-view/style/index.css";

/** A git patch as a list of files, each with its hunks; rendered by react-diff-view. */
export function DiffView({ patch }: { patch: string }) {
  const files = parseDiff(patch, { nearbySequences: "zip" });
  if (files.length === 0) return <p className="empty">The patch is empty.</p>;
  return (
    <div className="diff">
      {files.map((file) => {
        const name = file.type === "delete" ? file.oldPath : file.newPath;
        return (
          <section key={`${file.oldRevision}-${file.newRevision}-${name}`} className="diff-file">
            <h3>
              {name} <small>{file.type}</small>
            </h3>
            {file.hunks.length === 0 ? (
              <p className="empty">Binary or mode-only change.</p>
            ) : (
              <Diff viewType="unified" diffType={file.type} hunks={file.hunks}>
                {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
              </Diff>
            )}
          </section>
        );
      })}
    </div>
  );
}
