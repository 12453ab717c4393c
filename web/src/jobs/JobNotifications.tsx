import { useQuery } from "@tanstack/react-query";
import { api, ok } from "../api/client";

/** The delivery log of a job's notifications (webhook, Slack): every attempt, its answer and the next try. */
export function JobNotifications({ jobId, finished }: { jobId: string; finished: boolean }) {
  const log = useQuery({
    queryKey: ["notifications", jobId],
    queryFn: () => ok(api.GET("/api/jobs/{id}/notifications", { params: { path: { id: jobId } } })),
    enabled: finished,
    refetchInterval: (query) => (query.state.data?.some((d) => d.nextAttemptAt) && !query.state.data.some((d) => d.succeeded) ? 3000 : false),
  });
  if (!finished || !log.data || log.data.length === 0) return null;
  return (
    <section aria-label="Notifications">
      <h2>Notifications</h2>
      <table className="notifications">
        <thead><tr><th>Target</th><th>Event</th><th>Attempt</th><th>When</th><th>Answer</th></tr></thead>
        <tbody>
          {log.data.map((d) => (
            <tr key={`${d.deliveryId}-${d.target}-${d.attempt}`}>
              <td>{d.target}</td>
              <td>{d.event}</td>
              <td>{d.attempt}</td>
              <td>{new Date(d.attemptedAt).toLocaleString()}</td>
              <td className={d.succeeded ? "" : "error"}>
                {d.succeeded ? `delivered (${d.statusCode})` : d.error}
                {d.nextAttemptAt && ` Next try ${new Date(d.nextAttemptAt).toLocaleTimeString()}.`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
