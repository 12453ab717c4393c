import { render } from "@testing-library/react";
import axe from "axe-core";
import { VerificationView } from "./VerificationView";

const passed = { status: "passed" as const, source: "the job", checks: [{ name: "test", command: "test -f README.md", before: null, after: null }] };

describe("a job page's checks regions", () => {
  it("are distinct landmarks for axe (landmark-unique), one per repository", async () => {
    const { container } = render(
      <main>
        <VerificationView verification={passed} repository="acme/api" />
        <VerificationView verification={passed} repository="acme/web" />
      </main>,
    );

    const result = await axe.run(container, { runOnly: { type: "rule", values: ["landmark-unique"] } });

    expect(result.violations).toEqual([]);
    expect(result.passes.map((p) => p.id)).toContain("landmark-unique");
  });
});
