using System.Text.Json.Nodes;
using CodyBatch.Core.Artifacts;
using Microsoft.AspNetCore.Http.Json;

namespace CodyBatch.Jobs;

/// <summary>
/// <c>GET /api/jobs/{id}/events</c>: a job's changes as server-sent events, read from the store so
/// they arrive whichever process runs the job. Events: <c>job</c> (the whole job, on every change),
/// <c>stage</c>, <c>activity</c> and <c>usage</c> (per run), <c>thread</c> (entries stored since the
/// last event), and <c>end</c> once every run has ended, after which the stream closes.
/// </summary>
internal static class JobEventEndpoints
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapJobEvents(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/jobs").WithTags("Jobs")
            .MapGet("/{id}/events", EventsAsync)
            .WithName("GetJobEvents")
            .WithSummary("The job's changes as server-sent events: job, stage, activity, usage, thread (new entries), end.")
            .Produces<JobEventStream>(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> EventsAsync(
        string id, HttpContext http, JobService service, IOptions<JsonOptions> json, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await service.GetAsync(id, cancellationToken) is not { } first)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no job {id}.");
        }

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var writer = new EventWriter(response, json.Value.SerializerOptions);

        // Entries stored before the stream opened come from GET …/thread; the stream sends only newer ones.
        var sent = first.Runs.ToDictionary(r => r.Repository, r => (r.Attempts, r.ThreadEntries));
        Job? previous = null;
        var job = first;
        var quietSince = time.GetUtcNow();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (previous is null || job.Version != previous.Version)
                {
                    await SendChangesAsync(writer, service, previous, job, sent, cancellationToken);
                    previous = job;
                    quietSince = time.GetUtcNow();
                }
                else if (time.GetUtcNow() - quietSince >= Heartbeat)
                {
                    await writer.CommentAsync("keep-alive", cancellationToken);
                    quietSince = time.GetUtcNow();
                }

                if (job.Runs.All(r => r.Status.IsFinal()))
                {
                    await writer.SendAsync("end", new JobEndEvent(job.Id, job.Status), cancellationToken);
                    break;
                }

                await Task.Delay(Poll, time, cancellationToken);
                job = await service.GetAsync(id, cancellationToken) ?? job;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }

        return TypedResults.Empty;
    }

    private static async Task SendChangesAsync(
        EventWriter writer, JobService service, Job? previous, Job job, Dictionary<string, (int Attempts, int Entries)> sent, CancellationToken cancellationToken)
    {
        foreach (var run in job.Runs)
        {
            var before = previous?.FindRun(run.Repository);
            if (before is null || before.Status != run.Status || before.Attempts != run.Attempts)
            {
                await writer.SendAsync("stage", new JobStageEvent(run.Repository, run.Status, run.Attempts, run.Error), cancellationToken);
            }

            if (before is null || before.Activity != run.Activity)
            {
                await writer.SendAsync("activity", new JobActivityEvent(run.Repository, run.Activity), cancellationToken);
            }

            if (before is null || before.Usage != run.Usage)
            {
                await writer.SendAsync("usage", new JobUsageEvent(run.Repository, UsageResponse.From(run.Usage)), cancellationToken);
            }

            await SendThreadAsync(writer, service, job.Id, run, sent, cancellationToken);
        }

        await writer.SendAsync("job", JobResponse.From(job), cancellationToken);
    }

    private static async Task SendThreadAsync(
        EventWriter writer, JobService service, string jobId, RepositoryRun run, Dictionary<string, (int Attempts, int Entries)> sent, CancellationToken cancellationToken)
    {
        var (attempts, entries) = sent.GetValueOrDefault(run.Repository);
        if (attempts != run.Attempts || run.ThreadEntries < entries)
        {
            // A new attempt writes a new thread.
            entries = 0;
        }

        sent[run.Repository] = (run.Attempts, entries);
        if (run.ThreadEntries <= entries || run.ThreadArtifact is null)
        {
            return;
        }

        var artifact = await service.OpenArtifactAsync(jobId, run.Repository, ArtifactKind.Thread, cancellationToken);
        if (artifact.Content is not { } content)
        {
            return;
        }

        JsonArray all;
        await using (content)
        {
            all = (await JsonNode.ParseAsync(content, cancellationToken: cancellationToken))?["entries"] as JsonArray ?? [];
        }

        if (all.Count <= entries)
        {
            return;
        }

        var added = new JsonArray([.. all.Skip(entries).Select(e => e?.DeepClone())]);
        await writer.SendAsync("thread", new { run.Repository, run.Attempts, From = entries, Entries = added }, cancellationToken);
        sent[run.Repository] = (run.Attempts, all.Count);
    }

    private sealed class EventWriter(HttpResponse response, JsonSerializerOptions options)
    {
        public async Task SendAsync<T>(string name, T data, CancellationToken cancellationToken)
        {
            // The thread event's entries go out as stored (the shape JobThreadEvent documents), not through ThreadEntry.
        // JSON never holds a raw line break, so one data line carries the whole event.
            await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, options)}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }

        public async Task CommentAsync(string text, CancellationToken cancellationToken)
        {
            await response.WriteAsync($": {text}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
    }
}
