using CodyBatch.Aws;
using CodyBatch.Claude;
using CodyBatch.Core;
using CodyBatch.Core.Agent;
using CodyBatch.Repositories;
using CodyBatch.Sandbox;
using CodyBatch.Storage.Sqlite;
using CodyBatch.Telemetry;

namespace CodyBatch.Hosting;

/// <summary>Wires Core to the adapters the configuration selects.</summary>
internal static class CodyBatchServiceCollectionExtensions
{
    public static IServiceCollection AddCodyBatch(this IServiceCollection services, IConfiguration configuration, bool withWorker)
    {
        // Secrets come from the environment; whatever they are, they never leave the process in clear.
        services.AddSingleton(new SecretRedactor(
        [
            configuration["ANTHROPIC_API_KEY"],
            configuration["GITHUB_TOKEN"],
            configuration["CodyBatch:GitHub:WebhookSecret"],
            configuration["CodyBatch:GitHub:PrivateKey"],
            configuration["GITHUB_APP_PRIVATE_KEY"],
            .. configuration.GetSection("CodyBatch:ApiKeys").Get<string[]>() ?? [],
            .. configuration.GetSection("CodyBatch:Egress:PrivateRegistries").GetChildren().Select(r => r["Token"]),
        ]));
        // Before the workers: telemetry starts first and stops last.
        services.AddCodyBatchTelemetry(withWorker);
        services.AddCodyBatchCore(withWorker);
        switch (configuration["CodyBatch:Storage:Provider"])
        {
            case null or "" or "Sqlite":
                services.AddSqliteStorage();
                break;
            case "DynamoDb":
                services.AddAwsStorage();
                break;
            case var other:
                throw new StartupRefusedException($"CodyBatch:Storage:Provider must be Sqlite or DynamoDb, not \"{other}\".");
        }

        services.AddRepositoryHosts();
        services.AddClaudeAgent();
        services.AddBubblewrapChecks();
        return services;
    }
}
