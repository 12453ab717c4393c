import { useMemo } from "react";
import { Decoration, Diff, Hunk } from "react-diff-view";
import "react-diff-view/style/index.css";
import { useMediaQuery } from "../ui/useMediaQuery";
import { diffFiles } from "./diffFiles";
import { highlight } from "./highlight";

/** Files with more changed lines than this start collapsed. */
const collapseAbove = 300;
const anchor = (key: string) => `diff-${key.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** A git patch: a file list with +/− per file, then each file (collapsible) with its hunks and their @@ headers, syntax highlighted; split view on wide screens. */
export default function DiffView({ patch }: { patch: string }) {
  const files = useMemo(() => diffFiles(patch).map((f) => ({ ...f, tokens: highlight(f.file.hunks, f.path) })), [patch]);
  const wide = useMediaQuery("(min-width: 75rem)");
  if (files.length === 0) return <p className="empty">The patch is empty.</p>;
  const viewType = wide ? "split" : "unified";
  return (
    <div className="diff">
      <nav aria-label="changed files" className="diff-files">
        <ul>
          {files.map((f) => (
            <li key={f.key}>
              <a href={`#${anchor(f.key)}`}>{f.path}</a> <span className="ins-count">+{f.additions}</span> <span className="del-count">−{f.deletions}</span> <small>{f.label}</small>
            </li>
          ))}
        </ul>
      </nav>
      {files.map((f) => (
        <details key={f.key} id={anchor(f.key)} className="diff-file" open={f.lines <= collapseAbove}>
          <summary>
            <span className="diff-path">{f.path}</span> <span className="ins-count">+{f.additions}</span> <span className="del-count">−{f.deletions}</span> <small>{f.label}</small>
          </summary>
          {f.file.hunks.length === 0 ? (
            <p className="empty">{f.file.isBinary ? "Binary content is not shown; download the patch to apply it." : "No line changes."}</p>
          ) : (
            <Diff viewType={viewType} diffType={f.file.type} hunks={f.file.hunks} tokens={f.tokens}>
              {(hunks) =>
                hunks.flatMap((hunk) => [
                  <Decoration key={`d-${hunk.content}`}>
                    <span className="hunk-header">{hunk.content}</span>
                  </Decoration>,
                  <Hunk key={`h-${hunk.content}`} hunk={hunk} />,
                ])
              }
            </Diff>
          )}
        </details>
      ))}
    </div>
  );
}
