using CodyBatch.Core.Engine;

namespace CodyBatch.Commands;

/// <summary><c>codybatch worker --job-id ID</c>: runs one stored job to its end and exits (the AWS Batch entry point).</summary>
internal static class WorkerCommand
{
    /// <summary>The job ended with every run done and at least one succeeded.</summary>
    public const int Succeeded = 0;

    /// <summary>The job ended failed or cancelled.</summary>
    public const int JobFailed = 1;

    /// <summary>No such job, or a bad argument or setting.</summary>
    public const int BadInput = 2;

    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var jobId = new Option<string>("--job-id") { Description = "The job to run.", Required = true };
        var command = new Command("worker", "Run the open repository runs of one stored job, then exit: 0 completed, 1 failed or cancelled, 2 no such job or a bad setting.")
        {
            jobId,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var id = parse.GetValue(jobId)!;
            using var host = CodyBatchServer.BuildWorkerHost([.. parse.UnmatchedTokens], configureServices);
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (Exception e) when (StartupFailure.Describe(e) is not null)
            {
                return await StartupFailure.ReportAsync(e, BadInput);
            }

            try
            {
                var services = host.Services;
                var job = await services.GetRequiredService<JobService>().GetAsync(id, cancellationToken);
                if (job is null)
                {
                    await Console.Error.WriteLineAsync($"There is no job {id}; check the id (26 characters, from POST /api/jobs).");
                    return BadInput;
                }

                var final = await services.GetRequiredService<SingleJobRunner>().RunAsync(id, cancellationToken);
                await Console.Out.WriteLineAsync($"Job {id} ended {final.Status.ToString().ToLowerInvariant()}.");
                return final.Status == JobStatus.Completed ? Succeeded : JobFailed;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }
}
