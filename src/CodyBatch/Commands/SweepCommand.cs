using CodyBatch.Aws.Dispatch;

namespace CodyBatch.Commands;

/// <summary><c>codybatch sweep</c>: dispatches again the AWS jobs whose runs lost their worker or were never picked up (run on a schedule).</summary>
internal static class SweepCommand
{
    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var command = new Command("sweep", "On AWS (CodyBatch:Storage:Provider = DynamoDb): mark jobs whose runs no worker holds so that they are dispatched again; exit 0, or 2 on a bad setting.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = CodyBatchServer.BuildWorkerHost([.. parse.UnmatchedTokens], configureServices);
            try
            {
                await host.StartAsync(cancellationToken);
            }
            catch (Exception e) when (StartupFailure.Describe(e) is not null)
            {
                return await StartupFailure.ReportAsync(e, WorkerCommand.BadInput);
            }

            try
            {
                if (host.Services.GetService<DispatchReconciler>() is not { } reconciler)
                {
                    await Console.Error.WriteLineAsync("sweep works on the AWS storage only; set CodyBatch:Storage:Provider to DynamoDb.");
                    return WorkerCommand.BadInput;
                }

                var marked = await reconciler.SweepAsync(cancellationToken);

                // A run failed here may have ended its job; the process exits after this, so let its notifications finish.
                await host.Services.GetRequiredService<CodyBatch.Core.Notifications.JobNotifier>().WhenIdleAsync();
                await Console.Out.WriteLineAsync($"Marked {marked.Count} job(s) for dispatch again.");
                return WorkerCommand.Succeeded;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }
}
