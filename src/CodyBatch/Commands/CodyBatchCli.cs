namespace CodyBatch.Commands;

/// <summary>The <c>codybatch</c> command line: <c>serve</c>, <c>run</c>, <c>worker</c>, <c>sweep</c>, <c>models</c>, <c>prompts</c>, <c>schedules</c> and <c>keys</c>.</summary>
public static class CodyBatchCli
{
    /// <summary>
    /// Parses and runs <paramref name="args"/>. <paramref name="configureServices"/> runs last in every
    /// host the commands build, so tests can put doubles behind the real commands.
    /// </summary>
    public static Task<int> InvokeAsync(
        string[] args,
        InvocationConfiguration? configuration = null,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Cody Batch: run one prompt across many repositories with Claude.")
        {
            ServeCommand.Create(configureServices),
            RunCommand.Create(configureServices),
            WorkerCommand.Create(configureServices),
            SweepCommand.Create(configureServices),
            MergeCommand.Create(configureServices),
            ModelsCommand.Create(configureServices),
            PromptsCommand.Create(configureServices),
            SchedulesCommand.Create(configureServices),
            KeysCommand.Create(configureServices),
        };

        // `codybatch` alone, or with only host settings (--urls, --environment=…), serves.
        if (args.Length == 0 || (args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version")))
        {
            args = ["serve", .. args];
        }

        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;

        // Ctrl+C cancels the command's token; `run` then cancels its job, which may take a moment.
        configuration.ProcessTerminationTimeout = TimeSpan.FromSeconds(30);
        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
