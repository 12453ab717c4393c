using System.CommandLine;
using CodyBatch.Commands;

var root = new RootCommand("Cody Batch: run one prompt across many repositories with Claude.")
{
    ServeCommand.Create(),
    WorkerCommand.Create(),
};

// `codybatch` alone, or with only host settings (--urls, --environment=…), serves.
if (args.Length == 0 || (args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version")))
{
    args = ["serve", .. args];
}

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

/// <summary>The entry point, visible to the API tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
