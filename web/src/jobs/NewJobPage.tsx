import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { api, ApiError, ok } from "../api/client";
import { PageHeading } from "../ui/PageHeading";
import { OperatorsOnly } from "../access/OperatorsOnly";
import { fromEnvironmentFields } from "./EnvironmentChoice";
import { emptyPublishForm, publishField, PublishOptions, toPublishChoices } from "./PublishOptions";
import { modelLabel, validateJob } from "./format";

/** The form for operators and admins; a viewer is told which role creating a job needs. */
export function NewJobPage() {
  return <OperatorsOnly title="New job" needs="Creating jobs"><NewJobForm /></OperatorsOnly>;
}

function NewJobForm() {
  const navigate = useNavigate();
  const [prompt, setPrompt] = useState("");
  const [title, setTitle] = useState("");
  const [mode, setMode] = useState<"pullRequest" | "patch" | "triage">("pullRequest");
  const [model, setModel] = useState("");
  const [thinking, setThinking] = useState(false);
  const [thinkingBudget, setThinkingBudget] = useState(4096);
  const [budgetUsd, setBudgetUsd] = useState("");
  const [repositories, setRepositories] = useState<string[]>([]);
  const [entry, setEntry] = useState("");
  const [query, setQuery] = useState("");
  const [checksMode, setChecksMode] = useState<"detect" | "none" | "these">("detect");
  const [checkLines, setCheckLines] = useState("");
  const [shell, setShell] = useState(true);
  const [network, setNetwork] = useState<"" | "registries" | "none">("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [publish, setPublish] = useState(emptyPublishForm);
  const templates = useQuery({ queryKey: ["templates"], queryFn: () => ok(api.GET("/api/templates")) });
  const saved = useQuery({ queryKey: ["prompts"], queryFn: () => ok(api.GET("/api/prompts")) });
  const capabilities = useQuery({ queryKey: ["capabilities"], queryFn: () => ok(api.GET("/api/capabilities")), staleTime: 60_000 });
  const can = capabilities.data;
  const gitHub = !!can?.gitHub.available;
  const local = !!can?.localRepositoriesAllowed;
  const maxRepositories = can ? Number(can.limits.maxRepositories) : 5;
  const models = useQuery({ queryKey: ["models"], queryFn: () => ok(api.GET("/api/models")), retry: false, staleTime: 600_000 });
  const available = useQuery({
    queryKey: ["repositories", query],
    queryFn: () => ok(api.GET("/api/repositories", { params: { query: { query } } })),
    retry: false,
    enabled: gitHub,
  });
  const create = useMutation({
    mutationFn: () => ok(api.POST("/api/jobs", { body: {
          prompt,
          title: title || undefined,
          mode,
          model: model || undefined,
          thinkingBudgetTokens: thinking ? thinkingBudget : undefined,
          repositories,
          checks: jobChecks(checksMode, checkLines),
          // Left out, each follows the server; a job can only narrow what the server allows.
          shell: shell ? undefined : false,
          network: network || undefined,
          budgetUsd: budgetUsd ? Number(budgetUsd) : undefined,
          publish: toPublishChoices(publish),
        } })),
    onSuccess: (job) => navigate({ to: "/jobs/$id", params: { id: job.id } }),
    onError: (error) => {
      if (error instanceof ApiError && error.problem.errors) {
        // Per-field messages from the server; repositories[i] go beside the repository list.
        const fields: Record<string, string> = {};
        for (const [field, messages] of Object.entries(error.problem.errors)) {
          const key = field.startsWith("repositories") ? "repositories" : field.startsWith("checks") ? "checks" : publishField(field) ? `publish.${publishField(field)}` : field;
          fields[key] = [fields[key], ...messages].filter(Boolean).join(" ");
        }
        setErrors(fields);
      } else {
        setErrors({ form: error.message });
      }
    },
  });

  // A pasted list (one a line, or separated by commas or spaces) adds every name in it.
  const add = (text: string) => {
    const names = text.split(/[\s,]+/).map((n) => n.trim()).filter(Boolean);
    setRepositories((current) => [...current, ...names.filter((n, i) => !current.includes(n) && names.indexOf(n) === i)]);
    setEntry("");
  };
  const entryLabel = local ? "Add owner/name or local path" : "Add owner/name";

  return (
    <main>
      <PageHeading title="New job" />
      {can && !can.claude.available && <p className="error" role="alert">Jobs cannot run on this server: {can.claude.problem}</p>}
      {can && (
        <p className="note">
          Up to {maxRepositories} repositories{local ? ", on GitHub or local paths on the server" : gitHub ? " on GitHub" : ""}. Each run stops at {Number(can.budgets.maxTurns).toLocaleString("en-US")} turns,{" "}
          {Number(can.budgets.maxTokens).toLocaleString("en-US")} tokens or ${Number(can.budgets.maxCostUsd).toFixed(2)}.
          {can.allowedRepositories.length > 0 && ` Allowed: ${can.allowedRepositories.join(", ")}.`}
        </p>
      )}
      <form
        className="job-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const found = validateJob(prompt, repositories);
          // More than five is shown as a warning above and refused by the server, whose message then appears beside the list.
          if (repositories.length > 5) delete found.repositories;
          setErrors(found);
          if (Object.keys(found).length === 0) create.mutate();
        }}
      >
        <fieldset>
          <legend>Prompt</legend>
          {templates.data && (
            <div className="templates" role="group" aria-labelledby="templates-label">
              <span id="templates-label" className="group-label">Templates</span>
              {templates.data.map((t) => (
                <button type="button" key={t.id} title={t.description} onClick={() => { setPrompt(t.prompt.trim()); setMode(t.mode as "pullRequest" | "patch" | "triage"); }}>
                  {t.name}
                </button>
              ))}
            </div>
          )}
          <div className="templates" role="group" aria-labelledby="saved-prompts-label">
            <span id="saved-prompts-label" className="group-label">Saved prompts</span>
            {saved.data?.map((p) => (
              <button
                type="button"
                key={p.id}
                title={p.description || undefined}
                onClick={() => {
                  // A saved prompt brings its mode, checks, model, shell and network with it, as a schedule firing would.
                  setPrompt(p.prompt.trim());
                  setMode(p.mode ?? "pullRequest");
                  setModel(p.model ?? "");
                  setChecksMode(p.checks.length > 0 ? "these" : "detect");
                  setCheckLines(p.checks.join("\n"));
                  setShell(p.shell !== false);
                  setNetwork(fromEnvironmentFields(p).network);
                }}
              >
                {p.name}
              </button>
            ))}
            {saved.data?.length === 0 && <span className="note">none yet</span>}
            {saved.isError && <span className="note">not available: {saved.error.message}</span>}
            <Link to="/prompts">Manage saved prompts</Link>
          </div>
          <label htmlFor="prompt">What should Claude do in every repository?</label>
          <textarea id="prompt" rows={8} value={prompt} onChange={(e) => setPrompt(e.target.value)} aria-invalid={!!errors.prompt} aria-describedby="prompt-error" />
          {errors.prompt && <p id="prompt-error" className="field-error" role="alert">{errors.prompt}</p>}
          <label htmlFor="title">Title (optional)</label>
          <input id="title" value={title} onChange={(e) => setTitle(e.target.value)} />
          {errors.title && <p className="field-error" role="alert">{errors.title}</p>}
        </fieldset>
        <fieldset>
          <legend>Repositories <small>({repositories.length} of {maxRepositories})</small></legend>
          <ul className="chosen">
            {repositories.map((r) => (
              <li key={r}>
                {r} <button type="button" className="link" aria-label={`remove ${r}`} onClick={() => setRepositories(repositories.filter((x) => x !== r))}>×</button>
              </li>
            ))}
          </ul>
          {repositories.length > maxRepositories && <p className="field-warning">A job takes at most {maxRepositories} repositories.</p>}
          <label htmlFor="repository-entry">{entryLabel}</label>
          <div className="inline">
            <input
              id="repository-entry"
              value={entry}
              placeholder={local ? "octocat/hello-world or /srv/src/app" : "octocat/hello-world"}
              aria-describedby="repository-entry-hint"
              onChange={(e) => setEntry(e.target.value)}
              onPaste={(e) => {
                const text = e.clipboardData.getData("text");
                if (/[\s,]/.test(text.trim())) {
                  e.preventDefault();
                  add(text);
                }
              }}
              onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); add(entry); } }}
            />
            <button type="button" onClick={() => add(entry)}>Add</button>
          </div>
          <p id="repository-entry-hint" className="hint">Paste a list to add several at once.</p>
          {errors.repositories && <p id="repositories-error" className="field-error" role="alert">{errors.repositories}</p>}
          {can && !gitHub && !local && <p className="note">GitHub is not available: {can.gitHub.problem}</p>}
          {gitHub && (
            <>
              <label htmlFor="repository-search">Or pick from GitHub</label>
              <input id="repository-search" type="search" value={query} placeholder="search repositories" onChange={(e) => setQuery(e.target.value)} />
            </>
          )}
          {gitHub && available.isError && <p className="note">The repository list is not available: {available.error.message}</p>}
          {gitHub && available.data && (
            <ul className="picker">
              {available.data.items.map((r) => (
                <li key={r.fullName}>
                  <button type="button" onClick={() => add(r.fullName)} disabled={repositories.includes(r.fullName)}>
                    {r.fullName} {r.private && <small>private</small>} {!r.canPush && <small>patch only</small>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <fieldset>
          <legend>Delivery</legend>
          <label className="radio"><input type="radio" name="mode" checked={mode === "pullRequest"} onChange={() => setMode("pullRequest")} /> Pull request</label>
          <label className="radio"><input type="radio" name="mode" checked={mode === "patch"} onChange={() => setMode("patch")} /> Patch only</label>
          <label className="radio"><input type="radio" name="mode" checked={mode === "triage"} onChange={() => setMode("triage")} /> Triage only (read-only: is a change necessary? No edits, checks or pull requests; the server&apos;s small triage model unless you pick one)</label>
          <label htmlFor="model">Model</label>
          {models.data ? (
            <select id="model" value={model} onChange={(e) => setModel(e.target.value)}>
              <option value="">The server&apos;s default</option>
              {models.data.map((m) => (
                <option key={m.id} value={m.id}>{modelLabel(m)}</option>
              ))}
            </select>
          ) : (
            <>
              <input id="model" value={model} placeholder="the server's default" onChange={(e) => setModel(e.target.value)} />
              {models.isError && <p className="note">The model list is not available: {models.error.message}</p>}
            </>
          )}
          {errors.model && <p className="field-error" role="alert">{errors.model}</p>}
          <div className="check">
            <input id="thinking" type="checkbox" checked={thinking} onChange={(e) => setThinking(e.target.checked)} />
            <label htmlFor="thinking">Extended thinking</label>
          </div>
          {thinking && (
            <>
              <label htmlFor="thinking-budget">Thinking budget per response (tokens, 1,024–64,000; billed as output)</label>
              <input
                id="thinking-budget"
                type="number"
                min={1024}
                max={64000}
                step={1024}
                value={thinkingBudget}
                onChange={(e) => setThinkingBudget(Number(e.target.value))}
                aria-invalid={!!errors.thinkingBudgetTokens}
              />
            </>
          )}
          {errors.thinkingBudgetTokens && <p className="field-error" role="alert">{errors.thinkingBudgetTokens}</p>}
          <label htmlFor="budget-usd">Job budget (US dollars, all its runs together; empty for none)</label>
          <input id="budget-usd" type="number" min={0.01} max={10000} step={0.01} value={budgetUsd} placeholder="no job budget" onChange={(e) => setBudgetUsd(e.target.value)} aria-invalid={!!errors.budgetUsd} />
          {errors.budgetUsd && <p className="field-error" role="alert">{errors.budgetUsd}</p>}
        </fieldset>
        <fieldset>
          <legend>Checks</legend>
          <p className="note">The repository's own tests and builds run in a sandbox (no network, no secrets) before and after Claude's change; a change that breaks one opens as a draft.</p>
          <label htmlFor="checks-mode">Which checks</label>
          <select id="checks-mode" value={checksMode} onChange={(e) => setChecksMode(e.target.value as "detect" | "none" | "these")}>
            <option value="detect">detect (each repository's .codybatch/checks.json, or from its files)</option>
            <option value="these">these commands, in every repository</option>
            <option value="none">none</option>
          </select>
          {checksMode === "these" && (
            <>
              <label htmlFor="checks">Check commands, one per line</label>
              <textarea id="checks" rows={3} value={checkLines} placeholder="npm test" onChange={(e) => setCheckLines(e.target.value)} aria-invalid={!!errors.checks} />
            </>
          )}
          {errors.checks && <p className="field-error" role="alert">{errors.checks}</p>}
        </fieldset>
        <fieldset>
          <legend>Environment</legend>
          <p className="note">Claude's shell runs in the same sandbox as the checks; setup and the shell reach only the package registries the server allows.</p>
          <div className="check">
            <input id="shell" type="checkbox" checked={shell} onChange={(e) => setShell(e.target.checked)} aria-invalid={!!errors.shell} />
            <label htmlFor="shell">Give Claude a shell</label>
          </div>
          {errors.shell && <p className="field-error" role="alert">{errors.shell}</p>}
          <label htmlFor="network">Network for setup and the shell</label>
          <select id="network" value={network} onChange={(e) => setNetwork(e.target.value as "" | "registries" | "none")} aria-invalid={!!errors.network}>
            <option value="">the server's default</option>
            <option value="registries">the package registries on the server's allow-list</option>
            <option value="none">none</option>
          </select>
          {errors.network && <p className="field-error" role="alert">{errors.network}</p>}
        </fieldset>
        <PublishOptions
          value={publish}
          onChange={setPublish}
          errors={Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith("publish.")).map(([k, v]) => [k.slice("publish.".length), v]))}
        />
        {errors.form && <p className="error" role="alert">{errors.form}</p>}
        {errors.mode && <p className="field-error" role="alert">{errors.mode}</p>}
        <button type="submit" className="primary" disabled={create.isPending || (!!can && !can.claude.available)}>{create.isPending ? "Creating…" : "Create job"}</button>
      </form>
    </main>
  );
}

/** The request's checks: absent to detect, [] for none, else the commands, one per line. */
export function jobChecks(mode: "detect" | "none" | "these", lines: string): string[] | undefined {
  if (mode === "detect") return undefined;
  if (mode === "none") return [];
  return lines.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
}
