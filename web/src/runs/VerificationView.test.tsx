import { render, screen, within } from "@testing-library/react";
import type { Verification } from "../api/client";
import { jobChecks } from "../jobs/NewJobPage";
import { VerificationView } from "./VerificationView";

const broke: Verification = {
  status: "broke",
  source: "detected from package.json",
  reason: "The change broke `npm test`: passed on the baseline, fails after the change.",
  checks: [
    {
      name: "npm test",
      command: "npm test",
      before: { exitCode: 0, durationMs: 1200, limit: null, output: "# pass 1", passed: true },
      after: { exitCode: 1, durationMs: 900, limit: null, output: "<img src=x onerror=alert(1)> not ok 1", passed: false },
    },
    {
      name: "loop",
      command: "while :; do :; done",
      before: { exitCode: null, durationMs: 3000, limit: "stopped at the time limit of 3 s (CodyBatch:Checks:Timeout)", output: "", passed: false },
      after: null,
    },
  ],
};

describe("VerificationView", () => {
  it("shows the status, the source, the reason and each check before and after", () => {
    render(<VerificationView verification={broke} repository="acme/api" />);

    expect(screen.getByRole("status", { name: "checks broke" }).className).toContain("badge-bad");
    // One region per run on a job page: each is named after its repository, so the landmarks stay distinct.
    expect(screen.getByRole("region", { name: "checks of acme/api" })).toBeTruthy();
    expect(screen.getByText("detected from package.json")).toBeTruthy();
    expect(screen.getByText(/The change broke `npm test`/)).toBeTruthy();
    const rows = screen.getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText("passed (1.2 s)")).toBeTruthy();
    expect(within(rows[1]).getByText("exit 1 (0.9 s)")).toBeTruthy();
    expect(within(rows[2]).getByText("stopped at the time limit of 3 s (CodyBatch:Checks:Timeout)")).toBeTruthy();
    expect(within(rows[2]).getByText("not run")).toBeTruthy();
  });

  it("keeps check output as inert text behind a disclosure", () => {
    const { container } = render(<VerificationView verification={broke} repository="acme/api" />);

    const output = screen.getByText(/not ok 1/);
    expect(output.tagName).toBe("PRE");
    expect(output.closest("details")).not.toBeNull();
    expect(container.querySelector("img")).toBeNull();
  });

  it("has no table when there were no checks", () => {
    render(<VerificationView verification={{ status: "skipped", source: "none found", checks: [] }} repository="acme/api" />);

    expect(screen.getByRole("status", { name: "checks skipped" })).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });
});

describe("jobChecks", () => {
  it("is absent for detect, empty for none, and one command per non-empty line", () => {
    expect(jobChecks("detect", "npm test")).toBeUndefined();
    expect(jobChecks("none", "npm test")).toEqual([]);
    expect(jobChecks("these", " npm test \n\nmake lint\n")).toEqual(["npm test", "make lint"]);
  });
});
