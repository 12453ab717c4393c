import { render, screen } from "@testing-library/react";
import { JobStatusBadge, StatusBadge } from "./StatusBadge";

const outcomes = { queued: 0, running: 0, succeeded: 1, failed: 0, cancelled: 0, changed: 1, noChangeNeeded: 0 };

describe("StatusBadge", () => {
  it("shows the status as its text, with its tone", () => {
    render(<StatusBadge status="failed" />);
    expect(screen.getByText("failed").className).toContain("badge-bad");
  });

  it("says when a completed job has failed runs", () => {
    render(<JobStatusBadge job={{ status: "completed", outcomes: { ...outcomes, failed: 1 } }} />);
    expect(screen.getByText("completed with failures").className).toContain("badge-warn");
  });

  it("shows a clean completion as completed", () => {
    render(<JobStatusBadge job={{ status: "completed", outcomes }} />);
    expect(screen.getByText("completed")).toBeTruthy();
  });
});
