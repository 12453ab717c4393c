using CodyBatch.Core.Agent;

namespace CodyBatch.Commands;

/// <summary><c>codybatch models</c>: the models the Anthropic account may use, with their prices, for <c>run --model</c>.</summary>
internal static class ModelsCommand
{
    /// <summary>Listed.</summary>
    public const int Listed = 0;

    /// <summary>The list could not be read (no key, Anthropic unreachable or refusing).</summary>
    public const int Unavailable = 1;

    public static Command Create(Action<IServiceCollection>? configureServices)
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON (the API's shape)." };
        var command = new Command("models", "List the Claude models the account can use (Anthropic's Models API) with their prices per million tokens; exit 0 listed, 1 unavailable.")
        {
            json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            using var host = CodyBatchServer.BuildCliHost([], null, configureServices);
            IReadOnlyList<AvailableModel> models;
            try
            {
                var listing = await host.Services.GetRequiredService<IModelCatalog>().ListingAsync(cancellationToken);
                models = listing.Models;
                if (listing.Note is { } note)
                {
                    await error.WriteLineAsync($"codybatch: {note}");
                }
            }
            catch (RunFailedException e)
            {
                await error.WriteLineAsync($"codybatch: {e.Message}");
                return Unavailable;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(models, ApiJson.Options));
                return Listed;
            }

            await output.WriteLineAsync($"{"Model",-32} {"Name",-24} {"Input",8} {"Output",8} {"Cache w",8} {"Cache r",8}  (USD per million tokens)");
            foreach (var model in models)
            {
                await output.WriteLineAsync(
                    $"{RunProgress.Fit(model.Id, 32),-32} {RunProgress.Fit(model.DisplayName, 24),-24} {Price(model.InputPerMillion),8} {Price(model.OutputPerMillion),8} {Price(model.CacheWritePerMillion),8} {Price(model.CacheReadPerMillion),8}");
            }

            return Listed;
        });
        return command;
    }

    private static string Price(decimal? price) => price is { } value ? "$" + value.ToString("0.00##", CultureInfo.InvariantCulture) : "?";
}
