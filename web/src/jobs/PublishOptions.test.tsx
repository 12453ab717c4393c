import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { emptyPublishForm, publishField, PublishOptions, toPublishChoices, type PublishForm } from "./PublishOptions";

function Harness({ onValue, errors = {} }: { onValue: (v: PublishForm) => void; errors?: Partial<Record<keyof PublishForm, string>> }) {
  const [value, setValue] = useState(emptyPublishForm);
  return <PublishOptions value={value} errors={errors} onChange={(v) => { setValue(v); onValue(v); }} />;
}

describe("PublishOptions", () => {
  it("asks for merging when green with a method, and maps the server's merge errors to the merge field", () => {
    let last = emptyPublishForm;
    render(<Harness onValue={(v) => (last = v)} />);
    fireEvent.change(screen.getByLabelText("Merge"), { target: { value: "green" } });
    fireEvent.change(screen.getByLabelText("Merge method"), { target: { value: "squash" } });

    expect(toPublishChoices(last)).toEqual({ merge: { when: "green", method: "squash" } });
    expect(toPublishChoices({ ...emptyPublishForm, mergeMethod: "rebase" })).toEqual({ merge: { method: "rebase" } });
    expect(publishField("publish.merge.when")).toBe("mergeWhen");
  });

  it("sends nothing when nothing is chosen, so the server's defaults apply", () => {
    expect(toPublishChoices(emptyPublishForm)).toBeUndefined();
  });

  it("turns what was typed into the API's publish object", () => {
    let last = emptyPublishForm;
    render(<Harness onValue={(v) => (last = v)} />);
    fireEvent.change(screen.getByLabelText("Open as"), { target: { value: "draft" } });
    fireEvent.change(screen.getByLabelText("Labels"), { target: { value: "security, deps ,," } });
    fireEvent.change(screen.getByLabelText("Reviewers"), { target: { value: "octocat" } });
    fireEvent.change(screen.getByLabelText("Team reviewers"), { target: { value: "platform" } });
    fireEvent.change(screen.getByLabelText("Assignees"), { target: { value: "hubot" } });
    fireEvent.change(screen.getByLabelText("Branch prefix"), { target: { value: " bots/ " } });

    expect(toPublishChoices(last)).toEqual({
      draft: true,
      labels: ["security", "deps"],
      reviewers: ["octocat"],
      teamReviewers: ["platform"],
      assignees: ["hubot"],
      branchPrefix: "bots/",
    });
  });

  it("asks for a ready pull request explicitly", () => {
    expect(toPublishChoices({ ...emptyPublishForm, draft: "ready" })).toEqual({ draft: false });
    expect(toPublishChoices({ ...emptyPublishForm, overlap: "hold" })).toEqual({ overlap: "hold" });
  });

  it("shows the server's messages beside their fields and opens itself", () => {
    render(<Harness onValue={() => {}} errors={{ reviewers: "\"not a login\" is not a GitHub login." }} />);

    expect(screen.getByRole("alert").textContent).toBe("\"not a login\" is not a GitHub login.");
    expect(screen.getByLabelText("Reviewers").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Pull request options").closest("details")?.open).toBe(true);
  });

  it("maps the server's field names to the form's", () => {
    expect(publishField("publish.labels[1]")).toBe("labels");
    expect(publishField("publish.branchPrefix")).toBe("branchPrefix");
    expect(publishField("prompt")).toBeNull();
  });
});
