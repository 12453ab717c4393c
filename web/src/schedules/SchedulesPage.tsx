import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { usePermissions } from "../access/permissions";
import { api, ok } from "../api/client";
import { defaultEnvironment, describeEnvironment, EnvironmentChoice, fromEnvironmentFields, toEnvironmentFields } from "../jobs/EnvironmentChoice";
import { ProblemList } from "../ui/ProblemList";
import { inZone, outcomeText, type Schedule } from "./types";

function ScheduleCard({ schedule, onEdit }: { schedule: Schedule; onEdit: () => void }) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ["schedules"] });
  const toggle = useMutation({
    mutationFn: () => ok(api.POST(schedule.enabled ? "/api/schedules/{id}/pause" : "/api/schedules/{id}/resume", { params: { path: { id: schedule.id } } })),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => ok(api.DELETE("/api/schedules/{id}", { params: { path: { id: schedule.id } } })), onSuccess: refresh });
  const can = usePermissions();

  return (
    <article className="run-card" aria-label={schedule.name}>
      <header>
        <h2>{schedule.name}</h2>
        <span className="badge">{schedule.enabled ? "enabled" : "paused"}</span>
      </header>
      <p className="note">
        <code>{schedule.cron}</code> in {schedule.timeZone} · {schedule.repositories.join(", ")}
        {schedule.savedPromptId ? " · saved prompt" : ""}
        {schedule.budgetUsd != null ? ` · budget $${Number(schedule.budgetUsd).toFixed(2)} per job` : ""}
        {describeEnvironment(schedule) ? ` · ${describeEnvironment(schedule)}` : ""}
      </p>
      <h3>Next firings</h3>
      {schedule.nextFirings.length === 0 ? <p className="empty">None while paused.</p> : (
        <ol className="next-firings">{schedule.nextFirings.map((at) => <li key={at}>{inZone(at, schedule.timeZone)}</li>)}</ol>
      )}
      <h3>Past firings</h3>
      {schedule.firings.length === 0 ? <p className="empty">It has not fired yet.</p> : (
        <ul className="past-firings">
          {schedule.firings.map((f) => (
            <li key={f.scheduledFor + f.outcome}>
              {inZone(f.scheduledFor, schedule.timeZone)}: {outcomeText[f.outcome]}
              {f.jobId && <> — <Link to="/jobs/$id" params={{ id: f.jobId }}>job</Link></>}
              {f.reason && <span className="note"> {f.reason}</span>}
            </li>
          ))}
        </ul>
      )}
      {can.administer && <div className="actions">
        <button type="button" onClick={() => toggle.mutate()} disabled={toggle.isPending}>{schedule.enabled ? "Pause" : "Resume"}</button>
        <button type="button" onClick={onEdit}>Edit</button>
        <button type="button" onClick={() => confirm(`Delete the schedule "${schedule.name}"? Its jobs and pull requests stay.`) && remove.mutate()} disabled={remove.isPending}>Delete</button>
      </div>}
      <ProblemList error={toggle.error ?? remove.error} />
    </article>
  );
}

type ScheduleFormFields = { name: string; prompt: string; savedPromptId: string; repositories: string; cron: string; timeZone: string; mode: string; budgetUsd: string };

const blank = (): ScheduleFormFields => ({
  name: "", prompt: "", savedPromptId: "", repositories: "", cron: "0 6 * * 1-5", timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", mode: "", budgetUsd: "",
});

/** The form's fields for a stored schedule, or blank ones for a new schedule. */
function fieldsOf(schedule: Schedule | null): ScheduleFormFields {
  if (!schedule) return blank();
  return {
    name: schedule.name, prompt: schedule.prompt ?? "", savedPromptId: schedule.savedPromptId ?? "", repositories: schedule.repositories.join(", "),
    cron: schedule.cron, timeZone: schedule.timeZone, mode: schedule.mode ?? "", budgetUsd: schedule.budgetUsd != null ? String(schedule.budgetUsd) : "",
  };
}

/** Creates a schedule, or replaces the specification of `editing` (keeping the checks and model the form does not show). */
export function ScheduleForm({ editing = null, onDone }: { editing?: Schedule | null; onDone?: () => void }) {
  const client = useQueryClient();
  const prompts = useQuery({ queryKey: ["prompts"], queryFn: () => ok(api.GET("/api/prompts")) });
  const [form, setForm] = useState(() => fieldsOf(editing));
  const [environment, setEnvironment] = useState(() => (editing ? fromEnvironmentFields(editing) : defaultEnvironment));
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const create = useMutation({
    mutationFn: () => {
      const body = {
        name: form.name,
        prompt: form.savedPromptId ? null : form.prompt,
        savedPromptId: form.savedPromptId || null,
        repositories: form.repositories.split(/[\s,]+/).filter(Boolean),
        cron: form.cron,
        timeZone: form.timeZone,
        mode: form.mode || null,
        budgetUsd: form.budgetUsd ? Number(form.budgetUsd) : null,
        ...(editing ? { checks: editing.checks, model: editing.model } : {}),
        ...toEnvironmentFields(environment),
      };
      // The edit names the revision it was made on: one made on a schedule another admin edited since is refused (412).
      return ok(editing
        ? api.PUT("/api/schedules/{id}", { params: { path: { id: editing.id }, header: { "If-Match": `"${editing.revision}"` } }, body })
        : api.POST("/api/schedules", { body }));
    },
    onSuccess: () => {
      setForm(editing ? blank() : { ...form, name: "", prompt: "", repositories: "" });
      onDone?.();
      return client.invalidateQueries({ queryKey: ["schedules"] });
    },
  });
  const title = editing ? `Edit "${editing.name}"` : "New schedule";

  return (
    <form className="new-schedule" aria-label={editing ? "Edit schedule" : "New schedule"} onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
      <h2>{title}</h2>
      <label>Name <input value={form.name} onChange={set("name")} required /></label>
      <label>
        Saved prompt
        <select value={form.savedPromptId} onChange={set("savedPromptId")}>
          <option value="">None: write the prompt below</option>
          {prompts.data?.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      </label>
      {!form.savedPromptId && <label>Prompt <textarea value={form.prompt} onChange={set("prompt")} rows={4} /></label>}
      <label>Repositories (owner/name, 1–5) <input value={form.repositories} onChange={set("repositories")} placeholder="octo/app, octo/lib" /></label>
      <label>Cron <input value={form.cron} onChange={set("cron")} /></label>
      <label>Time zone <input value={form.timeZone} onChange={set("timeZone")} /></label>
      <label>
        Mode
        <select value={form.mode} onChange={set("mode")}>
          <option value="">{form.savedPromptId ? "The saved prompt's" : "Pull request"}</option>
          <option value="pullRequest">Pull request</option>
          <option value="patch">Patch only</option>
          <option value="triage">Triage only</option>
        </select>
      </label>
      <label>Budget per job (US dollars, all its runs together; empty for none) <input type="number" min={0.01} max={10000} step={0.01} value={form.budgetUsd} onChange={set("budgetUsd")} /></label>
      <EnvironmentChoice
        idPrefix="schedule"
        fallback={form.savedPromptId ? "the saved prompt's (else the server's)" : "the server's default"}
        value={environment}
        onChange={setEnvironment}
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>{editing ? "Save changes" : "Create schedule"}</button>
        {editing && <button type="button" onClick={onDone}>Cancel</button>}
      </div>
      <ProblemList error={create.error} />
    </form>
  );
}

export function SchedulesPage() {
  const schedules = useQuery({ queryKey: ["schedules"], queryFn: () => ok(api.GET("/api/schedules")), refetchInterval: 15000 });
  const can = usePermissions();
  const [editing, setEditing] = useState<Schedule | null>(null);
  return (
    <main>
      <div className="toolbar">
        <h1>Schedules</h1>
        <Link to="/prompts" className="button">Saved prompts</Link>
      </div>
      <p className="note">Each firing re-runs the schedule's campaign, so open pull requests are updated rather than duplicated. A firing while the previous job still runs is skipped.</p>
      {schedules.isPending && <p className="loading">Loading schedules…</p>}
      {schedules.isError && <p className="error" role="alert">Could not load schedules: {schedules.error.message}</p>}
      {schedules.data?.length === 0 && <p className="empty">No schedules yet.</p>}
      <div className="runs">{schedules.data?.map((s) => <ScheduleCard key={s.id} schedule={s} onEdit={() => setEditing(s)} />)}</div>
      {can.administer ? <ScheduleForm key={editing?.id ?? "new"} editing={editing} onDone={() => setEditing(null)} /> : <p className="note">Creating, pausing and deleting schedules needs the admin role.</p>}
    </main>
  );
}
