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
};

export const emptyPublishForm: PublishForm = { draft: "", labels: "", reviewers: "", teamReviewers: "", assignees: "", branchPrefix: "" };

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
  return Object.keys(choices).length ? choices : undefined;
}

/** The server's field name ("publish.labels[1]") as the form's key ("labels"), or null for other fields. */
export function publishField(field: string): keyof PublishForm | null {
  const match = /^publish\.(\w+)/.exec(field);
  return match ? (match[1] as keyof PublishForm) : null;
}

type Props = {
  value: PublishForm;
  onChange: (value: PublishForm) => void;
  /** Messages per form key, from the server's validation problem. */
  errors: Partial<Record<keyof PublishForm, string>>;
};

const textFields: { key: Exclude<keyof PublishForm, "draft">; label: string; placeholder: string }[] = [
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
