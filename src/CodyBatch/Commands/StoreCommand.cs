namespace CodyBatch.Commands;

/// <summary>What the <c>prompts</c> and <c>schedules</c> commands share: a host on the data folder, errors per field, JSON output.</summary>
internal static class StoreCommand
{
    public static Option<string?> DataOption() =>
        new("--data") { Description = "Folder for the job store (default: CodyBatch:DataDirectory, or ~/.local/share/codybatch)." };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the result as JSON (the API's shape)." };

    /// <summary>Starts a CLI host on the data folder, runs <paramref name="action"/>, stops the host; 2 when the host cannot start.</summary>
    public static async Task<int> RunAsync(
        ParseResult parse, Option<string?> data, Action<IServiceCollection>? configureServices, Func<IServiceProvider, TextWriter, TextWriter, Task<int>> action)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        using var host = CodyBatchServer.BuildCliHost([], parse.GetValue(data), configureServices);
        try
        {
            await host.StartAsync(CancellationToken.None);
        }
        catch (Exception e) when (StartupFailure.Describe(e) is { } problem)
        {
            await error.WriteLineAsync($"codybatch: {problem}");
            return RunCommand.BadInput;
        }

        try
        {
            return await action(host.Services, output, error);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Writes each field's messages to <paramref name="error"/>; returns the bad-input exit code.</summary>
    public static async Task<int> ErrorsAsync(TextWriter error, IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                await error.WriteLineAsync($"codybatch: {field}: {message}");
            }
        }

        return RunCommand.BadInput;
    }

    public static Task WriteJsonAsync<T>(TextWriter output, T value) => output.WriteLineAsync(JsonSerializer.Serialize(value, ApiJson.Options));
}
