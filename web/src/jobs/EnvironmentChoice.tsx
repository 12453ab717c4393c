/**
 * A shell and network choice as a form holds it: empty means the default (a saved prompt's, else the server's). "on"
 * asks for the shell even where a saved prompt says no shell (it never widens the server's setting).
 */
export type EnvironmentForm = { shell: "" | "on" | "off"; network: "" | "registries" | "none" };

export const defaultEnvironment: EnvironmentForm = { shell: "", network: "" };

/** The API's `shell` and `network` fields: what the form chose; a field left to the default is not sent. */
export function toEnvironmentFields(form: EnvironmentForm): { shell?: boolean; network?: "registries" | "none" } {
  return { ...(form.shell ? { shell: form.shell === "on" } : {}), ...(form.network ? { network: form.network } : {}) };
}

/** What a saved prompt or schedule carries, as the form holds it. */
export function fromEnvironmentFields(fields: { shell?: boolean | null; network?: string | null }): EnvironmentForm {
  return { shell: fields.shell === false ? "off" : fields.shell === true ? "on" : "", network: fields.network === "none" || fields.network === "registries" ? fields.network : "" };
}

/** A short note for lists: "no shell" (or "shell"), "network: none", both, or nothing when both follow the default. */
export function describeEnvironment(fields: { shell?: boolean | null; network?: string | null }): string {
  return [fields.shell === false ? "no shell" : fields.shell === true ? "shell" : "", fields.network ? `network: ${fields.network}` : ""].filter(Boolean).join(" · ");
}

/** The shell and network of a saved prompt or a schedule; `fallback` names what an empty choice follows. */
export function EnvironmentChoice({ value, onChange, fallback, idPrefix }: {
  value: EnvironmentForm;
  onChange: (value: EnvironmentForm) => void;
  fallback: string;
  idPrefix: string;
}) {
  return (
    <fieldset>
      <legend>Environment</legend>
      <label htmlFor={`${idPrefix}-shell`}>Claude's shell</label>
      <select id={`${idPrefix}-shell`} value={value.shell} onChange={(e) => onChange({ ...value, shell: e.target.value as EnvironmentForm["shell"] })}>
        <option value="">{fallback}</option>
        <option value="on">a shell (where the server gives one)</option>
        <option value="off">no shell</option>
      </select>
      <label htmlFor={`${idPrefix}-network`}>Network for setup and the shell</label>
      <select id={`${idPrefix}-network`} value={value.network} onChange={(e) => onChange({ ...value, network: e.target.value as EnvironmentForm["network"] })}>
        <option value="">{fallback}</option>
        <option value="registries">the package registries on the server's allow-list</option>
        <option value="none">none</option>
      </select>
    </fieldset>
  );
}
