using System.IO.Compression;

namespace CodyBatch.Tests;

/// <summary>A job's results as a set: honest counts, the failed filter, retry all failed, per-run cancel, exports.</summary>
public sealed class JobResultsApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    // acme/web fails until it is let through; the others append a line.
    private int _webFails = 1;

    private ScriptedCodeAgent FailingWeb()
    {
        var append = ScriptedCodeAgent.AppendingTo("README.md");
        return new ScriptedCodeAgent((request, ct) =>
            request.Repository == "acme/web" && Volatile.Read(ref _webFails) == 1
                ? Task.FromResult(AgentOutcome.Failed("Claude could not finish.", new TokenUsage(InputTokens: 5)))
                : append.RunAsync(request, ct));
    }

    [Fact]
    public async Task A_job_with_a_failed_run_counts_each_outcome_and_is_found_by_the_failed_filter()
    {
        _factory.Agent = FailingWeb();
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api", "acme/web")).JsonAsync())["id"]!.GetValue<string>();
        var fine = (await (await client.CreateJobAsync("acme/docs")).JsonAsync())["id"]!.GetValue<string>();

        var job = await client.WaitForEndAsync(id);
        await client.WaitForEndAsync(fine);

        Assert.Equal("completed", job["status"]!.GetValue<string>());
        var outcomes = job["outcomes"]!;
        Assert.Equal(1, outcomes["succeeded"]!.GetValue<int>());
        Assert.Equal(1, outcomes["failed"]!.GetValue<int>());
        Assert.Equal(0, outcomes["cancelled"]!.GetValue<int>());
        Assert.Equal(1, outcomes["changed"]!.GetValue<int>());
        Assert.Equal(0, outcomes["noChangeNeeded"]!.GetValue<int>());
        Assert.Equal(0, outcomes["running"]!.GetValue<int>());
        var failed = await (await client.GetAsync("/api/jobs?status=failed")).JsonAsync();
        Assert.Equal([id], failed["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        var byName = await (await client.GetAsync("/api/jobs?q=acme%2Fdocs")).JsonAsync();
        Assert.Equal([fine], byName["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
        var changes = job["repositories"]![0]!["changes"]!;
        Assert.Equal(1, changes["files"]!.GetValue<int>());
        Assert.Equal(1, changes["additions"]!.GetValue<int>());
        Assert.Equal(0, changes["deletions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Retry_all_failed_runs_every_failed_repository_again_and_409s_when_none_failed()
    {
        _factory.Agent = FailingWeb();
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api", "acme/web")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForEndAsync(id);
        Volatile.Write(ref _webFails, 0);

        var retry = await client.PostAsync($"/api/jobs/{id}/retry-failed", null);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var queued = await retry.JsonAsync();
        Assert.Equal("running", queued["status"]!.GetValue<string>());
        var job = await client.WaitForEndAsync(id);
        Assert.Equal(2, job["outcomes"]!["succeeded"]!.GetValue<int>());
        Assert.Equal(2, job["repositories"]![1]!["attempts"]!.GetValue<int>());
        await JobsApiTests.AssertProblemAsync(await client.PostAsync($"/api/jobs/{id}/retry-failed", null), HttpStatusCode.Conflict, $"Job {id} has no failed run to retry.");
        await JobsApiTests.AssertProblemAsync(await client.PostAsync("/api/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa/retry-failed", null), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task One_run_can_be_cancelled_while_the_others_go_on()
    {
        var hanging = ScriptedCodeAgent.Hanging();
        var append = ScriptedCodeAgent.AppendingTo("README.md");
        _factory.Agent = new ScriptedCodeAgent((request, ct) => request.Repository == "acme/web" ? hanging.RunAsync(request, ct) : append.RunAsync(request, ct));
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api", "acme/web")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForJobAsync(id, job => job["repositories"]![1]!["status"]!.GetValue<string>() == "analyzing");

        var cancel = await client.PostAsync($"/api/jobs/{id}/repositories/acme/web/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var job = await client.WaitForEndAsync(id);
        Assert.Equal("succeeded", job["repositories"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("cancelled", job["repositories"]![1]!["status"]!.GetValue<string>());
        Assert.NotNull(job["repositories"]![1]!["threadUrl"]);
        Assert.Equal("completed", job["status"]!.GetValue<string>());
        await JobsApiTests.AssertProblemAsync(
            await client.PostAsync($"/api/jobs/{id}/repositories/acme/web/cancel", null), HttpStatusCode.Conflict, "The run for acme/web has cancelled already; there is nothing to cancel.");
        await JobsApiTests.AssertProblemAsync(
            await client.PostAsync($"/api/jobs/{id}/repositories/acme/nope/cancel", null), HttpStatusCode.NotFound, $"Job {id} has no run for acme/nope.");
    }

    [Fact]
    public async Task Every_patch_downloads_as_one_archive_and_the_results_as_json_and_csv()
    {
        _factory.Agent = FailingWeb();
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api", "acme/web", "acme/docs")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForEndAsync(id);

        var archive = await client.GetAsync($"/api/jobs/{id}/patches");
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.Equal("application/zip", archive.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"codybatch-{id}-patches.zip", archive.Content.Headers.ContentDisposition?.FileName);
        using (var zip = new ZipArchive(await archive.Content.ReadAsStreamAsync()))
        {
            Assert.Equal(["acme-api.patch", "acme-docs.patch"], zip.Entries.Select(e => e.FullName));
            using var reader = new StreamReader(zip.GetEntry("acme-docs.patch")!.Open());
            Assert.Contains("+changed by acme/docs", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }

        var rows = (await (await client.GetAsync($"/api/jobs/{id}/results")).JsonAsync()).AsArray();
        Assert.Equal(["acme/api", "acme/web", "acme/docs"], rows.Select(r => r!["repository"]!.GetValue<string>()));
        Assert.Equal("failed", rows[1]!["status"]!.GetValue<string>());
        Assert.Equal("Claude could not finish.", rows[1]!["error"]!.GetValue<string>());
        Assert.Equal(1, rows[0]!["additions"]!.GetValue<int>());
        Assert.Equal(1260, rows[0]!["tokens"]!.GetValue<long>());

        var csv = await client.GetAsync($"/api/jobs/{id}/results?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"codybatch-{id}-results.csv", csv.Content.Headers.ContentDisposition?.FileName);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("repository,status,wereChangesNecessary,files,additions,deletions,attempts,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("acme/api,succeeded,true,1,1,0,1,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("acme/web,failed,,0,0,0,1,", lines[2], StringComparison.Ordinal);
        Assert.Contains(",Claude could not finish.,", lines[2], StringComparison.Ordinal);

        await JobsApiTests.AssertProblemAsync(await client.GetAsync($"/api/jobs/{id}/results?format=xml"), HttpStatusCode.BadRequest, null);
        await JobsApiTests.AssertProblemAsync(await client.GetAsync("/api/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa/patches"), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task A_job_without_patches_has_no_archive_and_csv_cells_never_start_a_formula()
    {
        _factory.Agent = new ScriptedCodeAgent((request, ct) =>
            Task.FromResult(AgentOutcome.Succeeded(new AgentResult(false, "=HYPERLINK(\"http://x\"), \"quoted\""), TokenUsage.Zero)));
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api")).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.Equal(1, job["outcomes"]!["noChangeNeeded"]!.GetValue<int>());
        await JobsApiTests.AssertProblemAsync(
            await client.GetAsync($"/api/jobs/{id}/patches"), HttpStatusCode.NotFound, $"No run of job {id} has a patch yet: none has finished with changes.");
        var csv = await (await client.GetAsync($"/api/jobs/{id}/results?format=csv")).Content.ReadAsStringAsync();
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\"), \"\"quoted\"\"\",", csv, StringComparison.Ordinal);
    }
}
