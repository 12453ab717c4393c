import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { api, ok } from "../api/client";
import { OperatorsOnly } from "../access/OperatorsOnly";
import { jobChecks } from "../jobs/NewJobPage";
import { emptyPublishForm, PublishOptions, toPublishChoices } from "../jobs/PublishOptions";
import { PageHeading } from "../ui/PageHeading";
import { ProblemList } from "../ui/ProblemList";
import { optionalNumber, splitList, type CampaignPreview, type CampaignRequest } from "./fleetFormat";

/** The form for operators and admins; a viewer is told which role a campaign needs. */
export function NewCampaignPage() {
  return <OperatorsOnly title="New campaign" needs="Creating campaigns"><NewCampaignForm /></OperatorsOnly>;
}

export const emptyCampaignForm = {
  title: "", prompt: "", savedPromptId: "",
  repositories: "", patterns: "", organization: "", topic: "", language: "", includeArchived: false, includeForks: false,
  triage: "auto", triageModel: "", canaryJobs: "1", concurrency: "5", budgetUsd: "", maxOpenPullRequests: "", maxPullRequestsPerHour: "",
  mode: "pullRequest", model: "", checksMode: "detect" as "detect" | "none" | "these", checks: "", shell: true, network: "", jobBudgetUsd: "",
};
type Form = typeof emptyCampaignForm;

/** The request the form stands for; empty fields are left out so the server's defaults apply. */
export function toCampaignRequest(form: Form, publish: typeof emptyPublishForm): CampaignRequest {
  const text = (s: string) => s.trim() || undefined;
  return {
    title: text(form.title),
    savedPromptId: form.prompt.trim() ? undefined : text(form.savedPromptId),
    job: {
      prompt: text(form.prompt),
      mode: form.mode,
      model: text(form.model),
      checks: jobChecks(form.checksMode, form.checks),
      shell: form.shell ? undefined : false,
      network: text(form.network),
      publish: toPublishChoices(publish),
      budgetUsd: optionalNumber(form.jobBudgetUsd),
    },
    selection: {
      repositories: splitList(form.repositories),
      patterns: splitList(form.patterns),
      organization: text(form.organization),
      topic: text(form.topic),
      language: text(form.language),
      includeArchived: form.includeArchived || undefined,
      includeForks: form.includeForks || undefined,
    },
    triage: form.triage,
    triageModel: text(form.triageModel),
    canaryJobs: optionalNumber(form.canaryJobs),
    concurrency: optionalNumber(form.concurrency),
    budgetUsd: optionalNumber(form.budgetUsd),
    maxOpenPullRequests: optionalNumber(form.maxOpenPullRequests),
    maxPullRequestsPerHour: optionalNumber(form.maxPullRequestsPerHour),
  };
}

function NewCampaignForm() {
  const navigate = useNavigate();
  const [form, setForm] = useState(emptyCampaignForm);
  const [publish, setPublish] = useState(emptyPublishForm);
  // The preview belongs to the request it was made for; any change asks for a new one before creating.
  const [previewed, setPreviewed] = useState<{ request: string; preview: CampaignPreview } | null>(null);
  const saved = useQuery({ queryKey: ["prompts"], queryFn: () => ok(api.GET("/api/prompts")) });
  const request = toCampaignRequest(form, publish);
  const requestText = JSON.stringify(request);
  const preview = useMutation({
    mutationFn: () => ok(api.POST("/api/campaigns/preview", { body: request })),
    onSuccess: (answer) => setPreviewed({ request: requestText, preview: answer }),
  });
  const create = useMutation({
    mutationFn: () => ok(api.POST("/api/campaigns", { body: request })),
    onSuccess: (created) => navigate({ to: "/campaigns/$id", params: { id: created.campaign.id } }),
  });
  const current = previewed?.request === requestText ? previewed.preview : null;
  const set = (field: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const flag = (field: "includeArchived" | "includeForks" | "shell") => (e: { target: { checked: boolean } }) => setForm({ ...form, [field]: e.target.checked });
  const field = (id: keyof Form, label: string, extra: Record<string, unknown> = {}) => (
    <>
      <label htmlFor={`campaign-${id}`}>{label}</label>
      <input id={`campaign-${id}`} value={String(form[id])} onChange={set(id)} {...extra} />
    </>
  );

  return (
    <main>
      <PageHeading title="New campaign" />
      <p className="note">A campaign runs one prompt over many repositories in jobs of up to five: preview the list first, then a canary runs and waits for your approval with a forecast.</p>
      <form className="job-form" noValidate onSubmit={(e) => { e.preventDefault(); preview.mutate(); }}>
        <fieldset>
          <legend>Prompt</legend>
          {field("title", "Title (optional)")}
          <label htmlFor="campaign-saved">Saved prompt</label>
          <select id="campaign-saved" value={form.savedPromptId} onChange={set("savedPromptId")} aria-describedby="campaign-saved-hint">
            <option value="">none: write the prompt below</option>
            {saved.data?.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
          <p id="campaign-saved-hint" className="hint">Used when the prompt below is empty. <Link to="/prompts">Manage saved prompts</Link></p>
          <label htmlFor="campaign-prompt">What should Claude do in every repository?</label>
          <textarea id="campaign-prompt" rows={6} value={form.prompt} onChange={set("prompt")} />
        </fieldset>
        <fieldset>
          <legend>Repositories</legend>
          <p className="note">A repository is selected when it is listed, or when it matches every filter given. Archived repositories and forks are left out unless asked for.</p>
          <label htmlFor="campaign-repositories">These repositories (owner/name; lines, commas or spaces)</label>
          <textarea id="campaign-repositories" rows={3} value={form.repositories} onChange={set("repositories")} />
          {field("patterns", "Name patterns (acme/*, acme/api-*)")}
          {field("organization", "Organization")}
          {field("topic", "Topic")}
          {field("language", "Primary language")}
          <div className="check"><input id="campaign-archived" type="checkbox" checked={form.includeArchived} onChange={flag("includeArchived")} /><label htmlFor="campaign-archived">Include archived repositories</label></div>
          <div className="check"><input id="campaign-forks" type="checkbox" checked={form.includeForks} onChange={flag("includeForks")} /><label htmlFor="campaign-forks">Include forks</label></div>
        </fieldset>
        <fieldset>
          <legend>Rollout</legend>
          <label htmlFor="campaign-triage">Triage (a cheap read-only pass that decides where the fix runs)</label>
          <select id="campaign-triage" value={form.triage} onChange={set("triage")}>
            <option value="auto">auto: on for more than 25 repositories</option>
            <option value="on">on</option>
            <option value="off">off</option>
          </select>
          {form.triage !== "off" && field("triageModel", "Triage model (optional)", { placeholder: "the server's triage model" })}
          {field("canaryJobs", "Canary jobs before approval (0–5; each up to five repositories)", { type: "number", min: 0, max: 5 })}
          {field("concurrency", "Jobs at once (1–100)", { type: "number", min: 1, max: 100 })}
          {field("budgetUsd", "Budget in USD (optional)", { type: "number", min: 0, step: "0.01", inputMode: "decimal" })}
          {field("maxOpenPullRequests", "At most this many open pull requests at once (optional)", { type: "number", min: 1 })}
          {field("maxPullRequestsPerHour", "At most this many new pull requests an hour (optional)", { type: "number", min: 1 })}
        </fieldset>
        <fieldset>
          <legend>Every job</legend>
          <label className="radio"><input type="radio" name="campaign-mode" checked={form.mode === "pullRequest"} onChange={() => setForm({ ...form, mode: "pullRequest" })} /> Pull request</label>
          <label className="radio"><input type="radio" name="campaign-mode" checked={form.mode === "patch"} onChange={() => setForm({ ...form, mode: "patch" })} /> Patch only</label>
          {field("model", "Model (optional)", { placeholder: "the server's default" })}
          {field("jobBudgetUsd", "Budget of each job in USD (optional; its runs stop incomplete once it is spent)", { type: "number", min: 0, step: "0.01", inputMode: "decimal" })}
          <label htmlFor="campaign-checks-mode">Which checks</label>
          <select id="campaign-checks-mode" value={form.checksMode} onChange={set("checksMode")}>
            <option value="detect">detect (each repository's own)</option>
            <option value="these">these commands, in every repository</option>
            <option value="none">none</option>
          </select>
          {form.checksMode === "these" && <><label htmlFor="campaign-checks">Check commands, one per line</label><textarea id="campaign-checks" rows={3} value={form.checks} onChange={set("checks")} /></>}
          <div className="check"><input id="campaign-shell" type="checkbox" checked={form.shell} onChange={flag("shell")} /><label htmlFor="campaign-shell">Give Claude a shell</label></div>
          <label htmlFor="campaign-network">Network for setup and the shell</label>
          <select id="campaign-network" value={form.network} onChange={set("network")}>
            <option value="">the server&apos;s default</option>
            <option value="registries">the package registries on the server&apos;s allow-list</option>
            <option value="none">none</option>
          </select>
        </fieldset>
        <PublishOptions value={publish} onChange={setPublish} errors={{}} />
        <ProblemList error={preview.error ?? create.error} />
        <div className="actions">
          <button type="submit" className={current ? undefined : "primary"} disabled={preview.isPending}>{preview.isPending ? "Resolving…" : "Preview"}</button>
          <button type="button" className={current ? "primary" : undefined} disabled={!current || create.isPending} onClick={() => create.mutate()}>
            {create.isPending ? "Creating…" : "Create campaign"}
          </button>
          {!current && <span className="note">Preview the repository list before creating.</span>}
        </div>
      </form>
      {current && <PreviewList preview={current} />}
    </main>
  );
}

/** What the selection resolved to: the repositories, the ones left out and why, and how the rollout will go. */
export function PreviewList({ preview }: { preview: CampaignPreview }) {
  return (
    <section aria-labelledby="preview-heading" className="campaign-preview">
      <h2 id="preview-heading">Preview: {preview.count} repositories</h2>
      <p className="note" role="status">
        Triage {preview.triage ? "runs first" : "is off"}; the canary takes {preview.canaryRepositories} repositories; at most {preview.jobs} jobs of up to five.
      </p>
      {preview.canaryNote && <p className="note">{preview.canaryNote}</p>}
      <ol className="preview-repositories">{preview.repositories.map((r) => <li key={r}>{r}</li>)}</ol>
      {preview.excluded.length > 0 && (
        <>
          <h3>Left out ({preview.excluded.length})</h3>
          <ul className="preview-excluded">{preview.excluded.map((x) => <li key={x.repository}>{x.repository}: {x.reason}</li>)}</ul>
        </>
      )}
    </section>
  );
}
