import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { usePermissions } from "../access/permissions";
import { api, ok } from "../api/client";
import { describeEnvironment, EnvironmentChoice, fromEnvironmentFields, toEnvironmentFields, defaultEnvironment, type EnvironmentForm } from "../jobs/EnvironmentChoice";
import { ProblemList } from "../ui/ProblemList";
import type { SavedPrompt } from "./types";

type Draft = { id?: string; name: string; description: string; prompt: string; mode: string; checks: string; model: string; environment: EnvironmentForm };

const empty: Draft = { name: "", description: "", prompt: "", mode: "pullRequest", checks: "", model: "", environment: defaultEnvironment };

function toDraft(p: SavedPrompt): Draft {
  return { id: p.id, name: p.name, description: p.description, prompt: p.prompt, mode: p.mode ?? "pullRequest", checks: p.checks.join("\n"), model: p.model ?? "", environment: fromEnvironmentFields(p) };
}

export function PromptsPage() {
  const client = useQueryClient();
  const prompts = useQuery({ queryKey: ["prompts"], queryFn: () => ok(api.GET("/api/prompts")) });
  const [draft, setDraft] = useState<Draft>(empty);
  const can = usePermissions();
  const set = (field: Exclude<keyof Draft, "environment">) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: draft.name,
        description: draft.description,
        prompt: draft.prompt,
        mode: draft.mode,
        checks: draft.checks.split("\n").map((c) => c.trim()).filter(Boolean),
        model: draft.model || null,
        ...toEnvironmentFields(draft.environment),
      };
      return ok(draft.id ? api.PUT("/api/prompts/{id}", { params: { path: { id: draft.id } }, body }) : api.POST("/api/prompts", { body }));
    },
    onSuccess: () => {
      setDraft(empty);
      return client.invalidateQueries({ queryKey: ["prompts"] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => ok(api.DELETE("/api/prompts/{id}", { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["prompts"] }),
  });

  return (
    <main>
      <h1>Saved prompts</h1>
      <p className="note">Your own templates, offered beside the built-in ones. Schedules can use them; a firing takes the prompt as it is then.</p>
      {prompts.isPending && <p className="loading">Loading saved prompts…</p>}
      {prompts.isError && <p className="error" role="alert">Could not load saved prompts: {prompts.error.message}</p>}
      {prompts.data?.length === 0 && <p className="empty">No saved prompts yet.</p>}
      <ul className="job-list">
        {prompts.data?.map((p) => (
          <li key={p.id} className="job-row" aria-label={p.name}>
            <strong>{p.name}</strong> <span className="note">{[p.description, describeEnvironment(p)].filter(Boolean).join(" · ")}</span>
            <pre className="prompt">{p.prompt}</pre>
            {can.operate && <div className="actions">
              <button type="button" onClick={() => setDraft(toDraft(p))}>Edit</button>
              <button type="button" onClick={() => confirm(`Delete the saved prompt "${p.name}"?`) && remove.mutate(p.id)}>Delete</button>
            </div>}
          </li>
        ))}
      </ul>
      {can.operate && <form aria-label={draft.id ? "Edit saved prompt" : "New saved prompt"} onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <h2>{draft.id ? `Edit "${draft.name}"` : "New saved prompt"}</h2>
        <label>Name <input value={draft.name} onChange={set("name")} required /></label>
        <label>Description <input value={draft.description} onChange={set("description")} /></label>
        <label>Prompt <textarea value={draft.prompt} onChange={set("prompt")} rows={6} required /></label>
        <label>
          Mode
          <select value={draft.mode} onChange={set("mode")}>
            <option value="pullRequest">Pull request</option>
            <option value="patch">Patch only</option>
          </select>
        </label>
        <label>Checks (one command a line) <textarea value={draft.checks} onChange={set("checks")} rows={2} /></label>
        <label>Model (empty: the default) <input value={draft.model} onChange={set("model")} /></label>
        <EnvironmentChoice idPrefix="prompt" fallback="the server's default" value={draft.environment} onChange={(environment) => setDraft({ ...draft, environment })} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>{draft.id ? "Save changes" : "Save prompt"}</button>
          {draft.id && <button type="button" onClick={() => setDraft(empty)}>Cancel</button>}
        </div>
        <ProblemList error={save.error ?? remove.error} />
      </form>}
    </main>
  );
}
