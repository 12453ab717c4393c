using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.Repositories;

namespace CodyBatch.Repositories;

/// <summary>The <c>/api/repositories</c> route: what the service account can see on GitHub.</summary>
internal static class RepositoryEndpoints
{
    public static IEndpointRouteBuilder MapRepositories(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/repositories").WithTags("Repositories")
            .MapGet("/", ListAsync)
            .WithName("ListRepositories").WithSummary("Repositories the service account can see, with default branch, private flag and push permission; searched by query, 30 a page.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<Results<Ok<RepositoryPage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        RepositoryCatalog catalog, CancellationToken cancellationToken, string? query = null, int? page = null)
    {
        if (page is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = ["page must be between 1 and 1000."] }, title: "The query has problems");
        }

        if (query is { Length: > 100 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["query"] = ["query is longer than 100 characters."] }, title: "The query has problems");
        }

        try
        {
            return TypedResults.Ok(await catalog.ListAsync(query, page ?? 1, cancellationToken));
        }
        catch (RunFailedException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "GitHub is not available", detail: e.Message);
        }
        catch (Octokit.ApiException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "GitHub failed", detail: $"GitHub answered {(int)e.StatusCode} while listing repositories.");
        }
        catch (GitHubResponseException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "GitHub failed", detail: $"GitHub answered {e.Status} while listing repositories.");
        }
    }
}
