namespace CodyBatch.Commands;

/// <summary><c>codybatch serve</c>: the HTTP API, the web UI and in-process workers.</summary>
internal static class ServeCommand
{
    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var command = new Command("serve", "Serve the HTTP API and web UI, and run jobs with in-process workers. Host settings such as --urls pass through.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var app = CodyBatchServer.Build([.. parse.UnmatchedTokens], configureServices);
                await app.RunAsync(cancellationToken);
                return 0;
            }
            catch (Exception e) when (StartupFailure.Describe(e) is not null)
            {
                // A setting is wrong: say which, without a stack trace.
                return await StartupFailure.ReportAsync(e, 1);
            }
        });
        return command;
    }
}
