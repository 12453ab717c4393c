using System.IO.Compression;
using System.Text;
using CodyBatch.Core.Artifacts;

namespace CodyBatch.Jobs;

/// <summary>A job's results as a set: every patch in one archive, and a table of the runs as JSON or CSV.</summary>
internal static class JobExportEndpoints
{
    public static IEndpointRouteBuilder MapJobExports(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/api/jobs").WithTags("Jobs");
        jobs.MapGet("/{id}/patches", PatchesAsync)
            .WithName("GetAllPatches").WithSummary("Every patch of the job in one zip archive, one owner-name.patch per repository with changes.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id}/results", ResultsAsync)
            .WithName("GetResults").WithSummary("One row per repository run (status, changes, diff stat, pull request, usage) as JSON, or as CSV with format=csv.")
            .Produces<IReadOnlyList<RunResultRow>>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PatchesAsync(string id, JobService service, CancellationToken cancellationToken)
    {
        if (await service.GetAsync(id, cancellationToken) is not { } job)
        {
            return NoJob(id);
        }

        using var buffer = new MemoryStream();
        var count = 0;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var run in job.Runs.Where(r => r.PatchArtifact is not null))
            {
                var artifact = await service.OpenArtifactAsync(id, run.Repository, ArtifactKind.Patch, cancellationToken);
                if (artifact.Content is not { } content)
                {
                    continue;
                }

                await using (content)
                {
                    var entry = zip.CreateEntry($"{run.Repository.Replace('/', '-')}.patch", CompressionLevel.Optimal);
                    await using var target = await entry.OpenAsync(cancellationToken);
                    await content.CopyToAsync(target, cancellationToken);
                }

                count++;
            }
        }

        return count == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No patches", detail: $"No run of job {id} has a patch yet: none has finished with changes.")
            : TypedResults.File(buffer.ToArray(), "application/zip", $"codybatch-{id}-patches.zip");
    }

    private static async Task<Results<Ok<IReadOnlyList<RunResultRow>>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ResultsAsync(
        string id, JobService service, CancellationToken cancellationToken, string? format = null)
    {
        if (format is not (null or "" or "json" or "csv"))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["format"] = [$"\"{format}\" is not a results format; use json or csv."] }, title: "The query has problems");
        }

        if (await service.GetAsync(id, cancellationToken) is not { } job)
        {
            return NoJob(id);
        }

        var rows = job.Runs.Select(run => RunResultRow.From(job.Id, run)).ToList();
        return format == "csv"
            ? TypedResults.File(Encoding.UTF8.GetBytes(RunResultRow.ToCsv(rows)), "text/csv; charset=utf-8", $"codybatch-{id}-results.csv")
            : TypedResults.Ok<IReadOnlyList<RunResultRow>>(rows);
    }

    private static ProblemHttpResult NoJob(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no job {id}.");
}
