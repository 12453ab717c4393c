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
        // `codybatch` alone, or with only host settings (--urls, --environment=…), serves.
        if (args.Length == 0 || (args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version")))
        {
            args = ["serve", .. args];
        }

        // `serve` (the API function's start) builds only its own command: the others' options and actions are work
        // before the first answer that a server never uses. Its parse, help and errors are the same either way.
        var root = new RootCommand(Description);
        foreach (var command in args[0] == "serve" ? [ServeCommand.Create(configureServices)] : Commands(configureServices))
        {
            root.Subcommands.Add(command);
        }

        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;

        // Ctrl+C cancels the command's token; `run` then cancels its job, which may take a moment.
        configuration.ProcessTerminationTimeout = TimeSpan.FromSeconds(30);
        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    private const string Description = "Cody Batch: run one prompt across many repositories with Claude.";

    private static Command[] Commands(Action<IServiceCollection>? configureServices) =>
    [
        ServeCommand.Create(configureServices),
        RunCommand.Create(configureServices),
        WorkerCommand.Create(configureServices),
        SweepCommand.Create(configureServices),
        MergeCommand.Create(configureServices),
        ModelsCommand.Create(configureServices),
        PromptsCommand.Create(configureServices),
        SchedulesCommand.Create(configureServices),
        CampaignCommand.Create(configureServices),
        KeysCommand.Create(configureServices),
    ];
}
