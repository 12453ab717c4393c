import { diffFiles } from "./diffFiles";

const patch = `diff --git a/README.md b/README.md
index 1111111..2222222 100644
--- a/README.md
+++ b/README.md
@@ -1,3 +1,3 @@
 a
-b
+B
 c
@@ -40,2 +40,3 @@
 x
+y
 z
diff --git a/src/app.txt b/src/main.txt
similarity index 100%
rename from src/app.txt
rename to src/main.txt
diff --git a/logo.png b/logo.png
new file mode 100644
index 0000000..3333333
Binary files /dev/null and b/logo.png differ
diff --git a/run.sh b/run.sh
old mode 100644
new mode 100755
`;

describe("diffFiles", () => {
  it("counts +/− per file and labels renames, binaries and mode changes", () => {
    const files = diffFiles(patch);
    expect(files.map((f) => [f.path, f.additions, f.deletions, f.label])).toEqual([
      ["README.md", 2, 1, "modified"],
      ["src/main.txt", 0, 0, "renamed from src/app.txt, content unchanged"],
      ["logo.png", 0, 0, "binary file added"],
      ["run.sh", 0, 0, "mode changed 100644 → 100755"],
    ]);
    expect(files[0].file.hunks.map((h) => h.content)).toEqual(["@@ -1,3 +1,3 @@", "@@ -40,2 +40,3 @@"]);
  });
});
