namespace CodyBatch.Jobs;

/// <summary>
/// The events of <c>GET /api/jobs/{id}/events</c>, one property per event name with the type of its <c>data</c>;
/// it documents the stream in the OpenAPI document (a server-sent event stream has no one JSON body).
/// </summary>
public sealed record JobEventStream(JobResponse Job, JobStageEvent Stage, JobActivityEvent Activity, JobUsageEvent Usage, JobThreadEvent Thread, JobEndEvent End);
