namespace CodyBatch.Tests.Cli;

/// <summary>The command tree: <c>serve</c> builds only itself, every other invocation sees every command.</summary>
public sealed class CommandTreeTests
{
    [Fact]
    public async Task The_root_help_lists_every_command()
    {
        var output = new StringWriter();
        var exit = await CodyBatchCli.InvokeAsync(["--help"], new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, exit);
        foreach (var command in new[] { "serve", "run", "worker", "sweep", "merge", "models", "prompts", "schedules", "campaign", "keys" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b", output.ToString());
        }
    }

    [Fact]
    public async Task Serve_help_describes_serve()
    {
        var output = new StringWriter();
        var exit = await CodyBatchCli.InvokeAsync(["serve", "--help"], new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, exit);
        Assert.Contains("Serve the HTTP API and web UI", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_other_command_is_still_built()
    {
        var output = new StringWriter();
        var exit = await CodyBatchCli.InvokeAsync(["campaign", "--help"], new InvocationConfiguration { Output = output, Error = new StringWriter() });

        Assert.Equal(0, exit);
        Assert.Contains("approve", output.ToString(), StringComparison.Ordinal);
    }
}
