import type { CheckRun, Verification, VerificationStatus } from "../api/client";

const tone: Record<VerificationStatus, string> = {
  passed: "good",
  fixed: "good",
  broke: "bad",
  failing: "muted",
  skipped: "neutral",
  unavailable: "neutral",
};

export function VerificationBadge({ status }: { status: VerificationStatus }) {
  return (
    <span className={`badge badge-${tone[status]}`} role="status" aria-label={`checks ${status}`}>
      checks {status}
    </span>
  );
}

function Cell({ run }: { run?: CheckRun | null }) {
  if (!run) return <td>not run</td>;
  const seconds = (Number(run.durationMs) / 1000).toFixed(1);
  const verdict = run.limit ? run.limit : Number(run.exitCode) === 0 ? `passed (${seconds} s)` : `exit ${run.exitCode} (${seconds} s)`;
  return (
    <td>
      <span className={run.passed ? "check-pass" : "check-fail"}>{verdict}</span>
      {run.output && (
        <details>
          <summary>output</summary>
          {/* Repository output is untrusted: shown as text only. */}
          <pre className="check-output">{run.output}</pre>
        </details>
      )}
    </td>
  );
}

/**
 * A run's verification: where the checks came from, why (when there is something to say), and each check before and after.
 * The region is named after the repository: a job page shows one per run, and landmarks need distinct names.
 */
export function VerificationView({ verification, repository }: { verification: Verification; repository: string }) {
  const checks = verification.checks ?? [];
  return (
    <section className="verification" aria-label={`checks of ${repository}`}>
      <p>
        <VerificationBadge status={verification.status} /> <small>{verification.source}</small>
      </p>
      {verification.reason && <p className="note">{verification.reason}</p>}
      {checks.length > 0 && (
        <table className="checks">
          <thead>
            <tr><th>check</th><th>before</th><th>after</th></tr>
          </thead>
          <tbody>
            {checks.map((c) => (
              <tr key={c.name}>
                <td><code>{c.command}</code></td>
                <Cell run={c.before} />
                <Cell run={c.after} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
