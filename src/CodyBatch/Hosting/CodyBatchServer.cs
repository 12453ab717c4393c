using CodyBatch.Health;
using CodyBatch.Jobs;
using CodyBatch.Problems;
using CodyBatch.Security;

namespace CodyBatch.Hosting;

/// <summary>Builds the processes the <c>codybatch</c> executable runs.</summary>
public static class CodyBatchServer
{
    /// <summary>
    /// The <c>serve</c> host: API, web UI and in-process workers. <paramref name="configureServices"/>
    /// runs last, so it can replace adapters (tests put doubles behind the real host this way).
    /// </summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        // Refuse before binding anything; LoopbackGuard checks the bound addresses again after start.
        var hasKeys = (builder.Configuration.GetSection("CodyBatch:ApiKeys").Get<string[]>() ?? []).Any(k => !string.IsNullOrWhiteSpace(k));
        if (LoopbackGuard.Problem(ConfiguredAddresses(builder.Configuration), hasKeys) is { } problem)
        {
            throw new StartupRefusedException(problem);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        QuietHostErrors(builder.Logging);
        builder.Services.AddCodyBatch(builder.Configuration, withWorker: true);
        builder.Services.AddCodyBatchApi();
        builder.Services.AddLoopbackGuard();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseCodyBatchProblems();
        app.UseApiKeys();
        app.MapOpenApi();
        app.MapHealth();
        app.MapJobs();
        return app;
    }

    // The commands report a failed start in one sentence; the host's own log of it is a stack trace.
    private static void QuietHostErrors(ILoggingBuilder logging) =>
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

    private static IEnumerable<string> ConfiguredAddresses(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }

        foreach (var port in (configuration["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return $"http://*:{port}";
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { } url)
            {
                yield return url;
            }
        }
    }

    /// <summary>The <c>worker</c> host: the engine and its adapters, no HTTP.</summary>
    public static IHost BuildWorkerHost(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        QuietHostErrors(builder.Logging);
        builder.Services.AddCodyBatch(builder.Configuration, withWorker: false);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }
}
