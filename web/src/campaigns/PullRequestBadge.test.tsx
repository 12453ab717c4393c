import { render, screen } from "@testing-library/react";
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import type { ReactNode } from "react";
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
  autoMergeEnabled: false,
};

describe("PullRequestBadge", () => {
  it("shows an open pull request's checks and review", () => {
    render(<PullRequestBadge pullRequest={pull} />);
    expect(screen.getByRole("link", { name: "Pull request #3" }).getAttribute("href")).toBe(pull.url);
    expect(screen.getByText("checks failing").className).toContain("badge-bad");
    expect(screen.getByText("changes requested").className).toContain("badge-bad");
    expect(screen.getByText("open").className).toContain("badge-active");
  });

  it("shows the merge state and the shepherd's decisions as text", () => {
    render(
      <PullRequestBadge
        pullRequest={{
          ...pull,
          mergeable: false,
          autoMergeEnabled: true,
          mergeNote: "Not merged: checks are failing.",
          shepherd: { rounds: 2, needsAttention: true, decisions: [{ at: "2026-11-29T10:00:00Z", cause: "review:1", due: false, reason: "No write access: <img src=x onerror=alert(1)>" }] },
        }}
      />,
    );
    expect(screen.getByText("in conflict").className).toContain("badge-bad");
    expect(screen.getByText("auto-merge on")).toBeTruthy();
    expect(screen.getByText("needs attention").className).toContain("badge-bad");
    expect(screen.getByText(/Not merged: checks are failing\./)).toBeTruthy();
    expect(screen.getByText(/No round: No write access: <img src=x onerror=alert\(1\)>/)).toBeTruthy();
    expect(document.querySelector("img")).toBeNull();
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

function inRouter(node: ReactNode) {
  const router = createRouter({ routeTree: createRootRoute({ component: () => <>{node}</> }), history: createMemoryHistory() });
  return render(<RouterProvider router={router} />);
}

describe("follow-up rounds under their run", () => {
  it("lists each round with its reason, as text, linking to its job", async () => {
    inRouter(
      <PullRequestBadge
        pullRequest={{
          ...pull,
          shepherd: {
            rounds: 1,
            needsAttention: false,
            decisions: [],
            started: [{ number: 1, jobId: "01roundroundroundroundround", cause: "review:1", reason: "Round due: alice (COLLABORATOR) requested changes <b>now</b>.", startedAt: "2026-11-29T10:00:00Z" }],
          },
        }}
      />,
    );

    const link = await screen.findByRole("link", { name: "Round 1" });
    expect(link.getAttribute("href")).toBe("/jobs/01roundroundroundroundround");
    expect(screen.getByRole("list", { name: "follow-up rounds" }).textContent).toBe("Round 1: Round due: alice (COLLABORATOR) requested changes <b>now</b>.");
  });
});
