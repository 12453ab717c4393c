import type { components } from "../api/schema";

export type PublishChoices = components["schemas"]["PublishChoices"];

/** What the form holds: text as typed; lists are comma-separated. Empty means the server's default. */
export type PublishForm = {
  draft: "" | "draft" | "ready";
  labels: string;
  reviewers: string;
  teamReviewers: string;
  assignees: string;
  branchPrefix: string;
  mergeWhen: "" | "never" | "green";
  mergeMethod: "" | "merge" | "squash" | "rebase";
  overlap: "" | "note" | "hold";
};

export const emptyPublishForm: PublishForm = { draft: "", labels: "", reviewers: "", teamReviewers: "", assignees: "", branchPrefix: "", mergeWhen: "", mergeMethod: "", overlap: "" };

const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

/** The API's `publish` object, or undefined when nothing was chosen (the server's defaults apply). */
export function toPublishChoices(form: PublishForm): PublishChoices | undefined {
  const choices: PublishChoices = {};
  if (form.draft) choices.draft = form.draft === "draft";
  if (list(form.labels).length) choices.labels = list(form.labels);
  if (list(form.reviewers).length) choices.reviewers = list(form.reviewers);
  if (list(form.teamReviewers).length) choices.teamReviewers = list(form.teamReviewers);
  if (list(form.assignees).length) choices.assignees = list(form.assignees);
  if (form.branchPrefix.trim()) choices.branchPrefix = form.branchPrefix.trim();
  if (form.mergeWhen || form.mergeMethod) {
    choices.merge = { ...(form.mergeWhen ? { when: form.mergeWhen } : {}), ...(form.mergeMethod ? { method: form.mergeMethod } : {}) };
  }
  if (form.overlap) choices.overlap = form.overlap;
  return Object.keys(choices).length ? choices : undefined;
}

/** The server's field name ("publish.labels[1]") as the form's key ("labels"), or null for other fields. */
export function publishField(field: string): keyof PublishForm | null {
  const match = /^publish\.(\w+)/.exec(field);
  if (!match) return null;
  return match[1] === "merge" ? "mergeWhen" : (match[1] as keyof PublishForm);
}

type Props = {
  value: PublishForm;
  onChange: (value: PublishForm) => void;
  /** Messages per form key, from the server's validation problem. */
  errors: Partial<Record<keyof PublishForm, string>>;
};

const textFields: { key: Exclude<keyof PublishForm, "draft" | "mergeWhen" | "mergeMethod" | "overlap">; label: string; placeholder: string }[] = [
  { key: "labels", label: "Labels", placeholder: "dependencies, security" },
  { key: "reviewers", label: "Reviewers", placeholder: "octocat, hubot" },
  { key: "teamReviewers", label: "Team reviewers", placeholder: "platform-team" },
  { key: "assignees", label: "Assignees", placeholder: "octocat" },
  { key: "branchPrefix", label: "Branch prefix", placeholder: "codybatch/" },
];

/** The new-job form's advanced part: how pull requests look. Left empty, the server's defaults apply. */
export function PublishOptions({ value, onChange, errors }: Props) {
  const open = Object.values(value).some(Boolean) || Object.keys(errors).length > 0;
  return (
    <details className="advanced" open={open}>
      <summary>Pull request options</summary>
      <p className="note">Left empty, the server's defaults apply. Lists are separated by commas; labels that do not exist are created.</p>
      <label htmlFor="publish-draft">Open as</label>
      <select id="publish-draft" value={value.draft} onChange={(e) => onChange({ ...value, draft: e.target.value as PublishForm["draft"] })}>
        <option value="">the server's default</option>
        <option value="draft">draft</option>
        <option value="ready">ready for review</option>
      </select>
      <label htmlFor="publish-merge-when">Merge</label>
      <select id="publish-merge-when" value={value.mergeWhen} onChange={(e) => onChange({ ...value, mergeWhen: e.target.value as PublishForm["mergeWhen"] })}>
        <option value="">the server's default</option>
        <option value="never">never (a person merges)</option>
        <option value="green">when green (checks pass, review allows; never a draft)</option>
      </select>
      <label htmlFor="publish-merge-method">Merge method</label>
      <select id="publish-merge-method" value={value.mergeMethod} onChange={(e) => onChange({ ...value, mergeMethod: e.target.value as PublishForm["mergeMethod"] })}>
        <option value="">the server's default</option>
        <option value="merge">merge commit</option>
        <option value="squash">squash</option>
        <option value="rebase">rebase</option>
      </select>
      {errors.mergeWhen && <p className="field-error" role="alert">{errors.mergeWhen}</p>}
      <label htmlFor="publish-overlap">When an open pull request touches the same files</label>
      <select id="publish-overlap" value={value.overlap} onChange={(e) => onChange({ ...value, overlap: e.target.value as PublishForm["overlap"] })} aria-invalid={!!errors.overlap}>
        <option value="">the server's default</option>
        <option value="note">open the pull request and name the overlapping ones</option>
        <option value="hold">hold the change as a patch, to publish later</option>
      </select>
      {errors.overlap && <p className="field-error" role="alert">{errors.overlap}</p>}
      {textFields.map(({ key, label, placeholder }) => (
        <div key={key}>
          <label htmlFor={`publish-${key}`}>{label}</label>
          <input
            id={`publish-${key}`}
            value={value[key]}
            placeholder={placeholder}
            aria-invalid={!!errors[key]}
            aria-describedby={errors[key] ? `publish-${key}-error` : undefined}
            onChange={(e) => onChange({ ...value, [key]: e.target.value })}
          />
          {errors[key] && <p id={`publish-${key}-error`} className="field-error" role="alert">{errors[key]}</p>}
        </div>
      ))}
    </details>
  );
}
