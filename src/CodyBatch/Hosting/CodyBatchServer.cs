using CodyBatch.Campaigns;
using CodyBatch.Access;
using CodyBatch.Aws.Secrets;
using CodyBatch.Capabilities;
using CodyBatch.Health;
using CodyBatch.Models;
using CodyBatch.Notifications;
using CodyBatch.Problems;
using CodyBatch.Prompts;
using CodyBatch.Repositories;
using CodyBatch.Schedules;
using CodyBatch.Security;
using CodyBatch.Templates;
using CodyBatch.Web;
using CodyBatch.Webhooks;

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
        ReadAwsSecrets(builder.Configuration);
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

        // The console only: the default Debug provider writes to an attached debugger and the EventSource one to
        // tracing sessions, and each compiles its own Log<T> for every message type logged (part of the API
        // function's cold start, docs/benchmarks.md).
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        QuietHostErrors(builder.Logging);
        builder.Services.AddCodyBatch(builder.Configuration, withWorker: true);
        builder.Services.AddCodyBatchApi();
        builder.Services.AddCompression();
        builder.Services.AddLoopbackGuard();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseResponseCompression();
        app.UseSecurityHeaders();
        app.UseCodyBatchProblems();
        app.UseDotSegmentRefusal();
        app.UseHostAllowList();
        app.UseAccess();
        app.MapOpenApi();
        app.MapHealth();
        app.MapJobs();
        app.MapJobEvents();
        app.MapJobExports();
        app.MapCapabilities();
        app.MapPullRequests();
        app.MapCampaigns();
        app.MapWebhooks();
        app.MapRepositories();
        app.MapTemplates();
        app.MapPrompts();
        app.MapSchedules();
        app.MapNotifications();
        app.MapModels();
        app.MapAccess();
        app.MapSpend();
        app.UseWebApp();
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

    /// <summary>
    /// The <c>run</c> host: the engine in this process for one job, local repositories allowed, data
    /// under the user's data folder unless <paramref name="dataDirectory"/> or the configuration says
    /// otherwise, and only errors logged (to standard error) so the progress display stays readable.
    /// </summary>
    public static IHost BuildCliHost(string[] args, string? dataDirectory, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var settings = new Dictionary<string, string?> { ["CodyBatch:AllowLocalRepositories"] = "true" };
        if (dataDirectory is not null)
        {
            settings["CodyBatch:DataDirectory"] = Path.GetFullPath(dataDirectory);
        }
        else if (builder.Configuration["CodyBatch:DataDirectory"] is null)
        {
            settings["CodyBatch:DataDirectory"] = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "codybatch");
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // Registered after appsettings' levels, so these win over them.
        builder.Logging.AddFilter(null, LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Error);
        QuietHostErrors(builder.Logging);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddCodyBatch(builder.Configuration, withWorker: false);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>The <c>worker</c> host: the engine and its adapters, no HTTP.</summary>
    public static IHost BuildWorkerHost(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        ReadAwsSecrets(builder.Configuration);
        QuietHostErrors(builder.Logging);
        builder.Services.AddCodyBatch(builder.Configuration, withWorker: false);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    // On AWS the API and the sweep read their secrets from SSM at start (CodyBatch:Aws:Secrets); elsewhere nothing happens.
    private static void ReadAwsSecrets(IConfigurationManager configuration)
    {
        try
        {
            configuration.AddSsmSecrets();
        }
        catch (InvalidOperationException e)
        {
            throw new StartupRefusedException(e.Message);
        }
    }
}
