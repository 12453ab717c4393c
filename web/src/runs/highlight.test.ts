import { parseDiff } from "react-diff-view";
import { highlight, languageOf } from "./highlight";

const patch = `diff --git a/src/app.ts b/src/app.ts
index 1111111..2222222 100644
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,1 +1,1 @@
-const a = 1;
+const a = "two";
`;

describe("highlight", () => {
  it("knows languages by file name", () => {
    expect(languageOf("src/app.ts")).toBe("typescript");
    expect(languageOf("Program.cs")).toBe("csharp");
    expect(languageOf("Dockerfile")).toBe("docker");
    expect(languageOf("notes.unknownext")).toBeUndefined();
  });

  it("tokenizes a file's hunks for the diff view", () => {
    const [file] = parseDiff(patch);
    const tokens = highlight(file.hunks, "src/app.ts")!;
    const json = JSON.stringify(tokens.new);
    expect(json).toContain('"keyword"');
    expect(json).toContain('"string"');
    expect(tokens.old).toHaveLength(1);
  });
});
