import { parseDiff, type FileData } from "react-diff-view";

export type DiffFile = {
  file: FileData;
  key: string;
  path: string;
  label: string;
  additions: number;
  deletions: number;
  lines: number;
};

/** The files of a git patch with what happened to each and their +/− counts. */
export function diffFiles(patch: string): DiffFile[] {
  // The parser misses some extended headers (binary files, mode changes); read them from each file's own header.
  const headers = patch.split(/^(?=diff --git )/m).filter((s) => s.startsWith("diff --git ")).map((s) => s.split(/^@@/m)[0]);
  return parseDiff(patch, { nearbySequences: "zip" }).map((parsed, index) => {
    const header = headers[index] ?? "";
    const type = /^new file mode/m.test(header) ? "add" : /^deleted file mode/m.test(header) ? "delete" : parsed.type;
    const file = {
      ...parsed,
      type,
      isBinary: parsed.isBinary || /^(Binary files .* differ|GIT binary patch)$/m.test(header),
      oldMode: /^old mode (\d+)$/m.exec(header)?.[1] ?? parsed.oldMode,
      newMode: /^new mode (\d+)$/m.exec(header)?.[1] ?? parsed.newMode,
    };
    const path = file.type === "delete" ? file.oldPath : file.newPath;
    let additions = 0;
    let deletions = 0;
    for (const hunk of file.hunks) {
      for (const change of hunk.changes) {
        if (change.type === "insert") additions++;
        else if (change.type === "delete") deletions++;
      }
    }
    const renamed = file.oldPath && file.newPath && file.oldPath !== file.newPath && file.type !== "add" && file.type !== "delete";
    const label = file.isBinary
      ? `binary file ${file.type === "add" ? "added" : file.type === "delete" ? "deleted" : "changed"}`
      : renamed
        ? `renamed from ${file.oldPath}${file.hunks.length === 0 ? ", content unchanged" : ""}`
        : file.type === "add"
          ? "added"
          : file.type === "delete"
            ? "deleted"
            : file.hunks.length === 0
              ? `mode changed${file.oldMode && file.newMode ? ` ${file.oldMode} → ${file.newMode}` : ""}`
              : "modified";
    return { file, key: `${index}-${path}`, path, label, additions, deletions, lines: file.hunks.reduce((n, h) => n + h.changes.length, 0) };
  });
}
