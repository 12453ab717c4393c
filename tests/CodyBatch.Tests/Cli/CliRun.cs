namespace CodyBatch.Tests.Cli;

/// <summary><c>codybatch</c> invoked in this process as a user would type it, its output and errors captured.</summary>
internal static class CliRun
{
    /// <summary>Runs <paramref name="args"/> with <c>--data <paramref name="data"/></c> appended, the scripted <paramref name="agent"/> in place of Claude when given.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(
        string data, string[] args, ICodeAgent? agent = null, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CodyBatchCli.InvokeAsync(
            [.. args, "--data", data],
            new InvocationConfiguration { Output = output, Error = error },
            agent is null ? null : services => services.AddSingleton(agent),
            cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
