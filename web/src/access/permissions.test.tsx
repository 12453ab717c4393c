import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import type { Job } from "../api/client";
import { JobActions } from "../jobs/JobActions";
import type { Me } from "./permissions";

// A job with a working run and a failed one: an operator may cancel it and retry the failed run.
const job = {
  id: "j1",
  outcomes: { failed: 1 },
  repositories: [
    { repository: "acme/api", status: "analyzing", cancelRequested: false, patchUrl: null },
    { repository: "acme/cli", status: "failed", cancelRequested: false, patchUrl: null },
  ],
} as unknown as Job;

function renderAs(me: Me | undefined) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  if (me) client.setQueryData(["me"], me);
  else client.setQueryDefaults(["me"], { queryFn: () => new Promise(() => {}) });
  render(<QueryClientProvider client={client}><JobActions job={job} /></QueryClientProvider>);
}

describe("controls by role", () => {
  it("an operator may cancel the job and retry its failed run", () => {
    renderAs({ name: "Otto", role: "operator", keyId: "key-1", canOperate: true, canAdminister: false });
    expect(screen.getByRole("button", { name: "Cancel job" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Retry all failed (1)" })).toBeTruthy();
  });

  it("a viewer reads and exports, and is offered nothing that changes the job", () => {
    renderAs({ name: "Vera", role: "viewer", keyId: "key-2", canOperate: false, canAdminister: false });
    expect(screen.queryByRole("button", { name: "Cancel job" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Retry/ })).toBeNull();
    expect(screen.getByRole("button", { name: "Export CSV" })).toBeTruthy();
  });

  it("offers nothing that changes the job while the role is unknown", () => {
    renderAs(undefined);
    expect(screen.queryByRole("button", { name: "Cancel job" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Retry/ })).toBeNull();
  });
});
