using CodyBatch.Claude.Agent;
using CodyBatch.Core.Configuration;
using CodyBatch.GitHub.Repositories;

namespace CodyBatch.Capabilities;

/// <summary>The <c>/api/capabilities</c> route: what the server can do before a job is created.</summary>
internal static partial class CapabilityEndpoints
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapCapabilities(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/capabilities").WithTags("Capabilities")
            .MapGet("/", GetAsync)
            .WithName("GetCapabilities")
            .WithSummary("What this server can do: Claude key present, GitHub reachable, local repositories allowed, limits and budgets. Reveals no secret.");
        return routes;
    }

    private static async Task<Ok<CapabilitiesResponse>> GetAsync(
        IConfiguration configuration,
        IOptions<CodyBatchOptions> options,
        IOptions<ClaudeOptions> claude,
        RepositoryCatalog catalog,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var budgets = claude.Value;
        var claudeState = string.IsNullOrWhiteSpace(configuration["ANTHROPIC_API_KEY"])
            ? new ServiceState(false, "ANTHROPIC_API_KEY is not set, so runs cannot reach Claude; set it in the environment of the process that runs jobs.")
            : new ServiceState(true, null);
        return TypedResults.Ok(new CapabilitiesResponse(
            claudeState,
            await ProbeGitHubAsync(catalog, loggers.CreateLogger(typeof(CapabilityEndpoints)), cancellationToken),
            settings.AllowLocalRepositories,
            settings.AllowedRepositories,
            new JobLimits(JobRequestValidator.MaxRepositories, JobRequestValidator.MaxPromptLength, JobRequestValidator.MaxTitleLength),
            new RunBudgets(budgets.MaxTurns, budgets.MaxTokens, budgets.MaxCostUsd),
            settings.DefaultModel));
    }

    // The first page of the repository list: cached by the catalog, so asking often costs GitHub nothing.
    private static async Task<ServiceState> ProbeGitHubAsync(RepositoryCatalog catalog, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await catalog.ListAsync(null, 1, timeout.Token);
            return new ServiceState(true, null);
        }
        catch (RunFailedException e)
        {
            return new ServiceState(false, e.Message);
        }
        catch (Octokit.ApiException e)
        {
            return new ServiceState(false, $"GitHub answered {(int)e.StatusCode} when asked for the repository list; check GITHUB_TOKEN and GITHUB_API_URL.");
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnreachable(logger, e.GetType().Name);
            return new ServiceState(false, "GitHub did not answer; check GITHUB_API_URL and the network.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub did not answer the capability probe ({Error})")]
    private static partial void LogUnreachable(ILogger logger, string error);
}
