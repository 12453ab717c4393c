import { describe, expect, it } from "vitest";
import { emptyPublishForm } from "../jobs/PublishOptions";
import { emptyCampaignForm, toCampaignRequest } from "./NewCampaignPage";

describe("toCampaignRequest", () => {
  it("leaves empty fields out so the server's defaults apply", () => {
    const request = toCampaignRequest({ ...emptyCampaignForm, prompt: "Bump the base image", patterns: "acme/*", canaryJobs: "", concurrency: "" }, emptyPublishForm);
    expect(request.job?.prompt).toBe("Bump the base image");
    expect(request.selection).toEqual({ repositories: [], patterns: ["acme/*"], organization: undefined, topic: undefined, language: undefined, includeArchived: undefined, includeForks: undefined });
    expect(request.canaryJobs).toBeUndefined();
    expect(request.budgetUsd).toBeUndefined();
    expect(request.job?.budgetUsd).toBeUndefined();
    expect(request.job?.shell).toBeUndefined();
    expect(request.job?.checks).toBeUndefined();
  });

  it("sends the saved prompt only when no prompt is written", () => {
    expect(toCampaignRequest({ ...emptyCampaignForm, savedPromptId: "p1" }, emptyPublishForm).savedPromptId).toBe("p1");
    expect(toCampaignRequest({ ...emptyCampaignForm, savedPromptId: "p1", prompt: "x" }, emptyPublishForm).savedPromptId).toBeUndefined();
  });

  it("carries the rollout numbers, the filters and the job settings", () => {
    const request = toCampaignRequest({
      ...emptyCampaignForm, prompt: "x", repositories: "acme/a\nacme/b, acme/a", organization: " acme ", topic: "payments", language: "Go",
      includeArchived: true, triage: "off", budgetUsd: "12.5", maxOpenPullRequests: "3", maxPullRequestsPerHour: "10", concurrency: "8",
      checksMode: "none", shell: false, network: "none", mode: "patch", jobBudgetUsd: "2",
    }, { ...emptyPublishForm, labels: "fleet" });
    expect(request.selection?.repositories).toEqual(["acme/a", "acme/b"]);
    expect(request.selection?.organization).toBe("acme");
    expect(request.selection?.includeArchived).toBe(true);
    expect(request).toMatchObject({ triage: "off", budgetUsd: 12.5, maxOpenPullRequests: 3, maxPullRequestsPerHour: 10, concurrency: 8, canaryJobs: 1 });
    expect(request.job).toMatchObject({ checks: [], shell: false, network: "none", mode: "patch", publish: { labels: ["fleet"] }, budgetUsd: 2 });
  });
});
