import { render, screen } from "@testing-library/react";
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { PullRequestBadge, type PullRequest } from "./PullRequestBadge";

function inRouter(node: ReactNode) {
  const router = createRouter({ routeTree: createRootRoute({ component: () => <>{node}</> }), history: createMemoryHistory() });
  return render(<RouterProvider router={router} />);
}

const pull: PullRequest = {
  url: "https://github.example/o/a/pull/3",
  number: 3,
  branch: "codybatch/x-a",
  state: "open",
  draft: false,
  headSha: "abc",
  checks: "pending",
  review: null,
  updatedAt: "2026-11-29T10:00:00Z",
  branchDeleted: false,
  autoMergeEnabled: false,
};

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
