import { render, screen } from "@testing-library/react";
import { BurndownChart } from "./BurndownChart";
import { PullRequestBadge, type PullRequest } from "./PullRequestBadge";

const pull: PullRequest = {
  url: "https://github.example/o/a/pull/3",
  number: 3,
  branch: "codybatch/x-a",
  state: "open",
  draft: false,
  headSha: "abc",
  checks: "failure",
  review: "changes_requested",
  updatedAt: "2026-11-29T10:00:00Z",
  branchDeleted: false,
};

describe("PullRequestBadge", () => {
  it("shows an open pull request's checks and review", () => {
    render(<PullRequestBadge pullRequest={pull} />);
    expect(screen.getByRole("link", { name: "Pull request #3" }).getAttribute("href")).toBe(pull.url);
    expect(screen.getByText("checks failing").className).toContain("badge-bad");
    expect(screen.getByText("changes requested").className).toContain("badge-bad");
    expect(screen.getByText("open").className).toContain("badge-active");
  });

  it("shows merged alone, without stale checks", () => {
    render(<PullRequestBadge pullRequest={{ ...pull, state: "merged", checks: "success", review: "approved" }} compact />);
    expect(screen.getByText("merged").className).toContain("badge-good");
    expect(screen.queryByText("checks passing")).toBeNull();
    expect(screen.getByText("#3")).toBeTruthy();
  });
});

describe("BurndownChart", () => {
  it("draws open and merged as steps and names the latest counts", () => {
    render(<BurndownChart points={[
      { at: "2026-11-29T08:00:00Z", open: 3, merged: 0, closed: 0 },
      { at: "2026-11-29T09:00:00Z", open: 2, merged: 1, closed: 0 },
      { at: "2026-11-29T10:00:00Z", open: 0, merged: 2, closed: 1 },
    ]} />);
    const chart = screen.getByRole("img", { name: "Burndown: 0 open, 2 merged, 1 closed" });
    const open = chart.querySelector("[data-series=open]")!.getAttribute("d")!;
    expect(open.startsWith("M")).toBe(true);
    expect(open.match(/V/g)).toHaveLength(2);
  });

  it("draws nothing without changes", () => {
    const { container } = render(<BurndownChart points={[]} />);
    expect(container.innerHTML).toBe("");
  });
});
