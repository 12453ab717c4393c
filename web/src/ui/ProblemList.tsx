import { ApiError } from "../api/client";

/** The problem's message and its per-field errors, as a list a user can act on. */
export function ProblemList({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : { detail: String(error) };
  return (
    <div className="error" role="alert">
      <p>{problem.title ?? "Something went wrong"}{problem.detail ? `: ${problem.detail}` : ""}</p>
      {problem.errors && (
        <ul>
          {Object.entries(problem.errors).flatMap(([field, messages]) => messages.map((m) => <li key={field + m}><strong>{field}</strong>: {m}</li>))}
        </ul>
      )}
    </div>
  );
}
