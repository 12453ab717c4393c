using CodyBatch.Core.Agent;
using CodyBatch.Core.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodyBatch.Models;

/// <summary>The <c>/api/models</c> route: the models the configured Anthropic account may use, with their prices.</summary>
internal static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/models").WithTags("Models")
            .MapGet("/", ListAsync)
            .WithName("ListModels").WithSummary("Models the account can use (Anthropic's Models API), newest first, with list prices in US dollars per million tokens from the price table.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<AvailableModel>>, ProblemHttpResult>> ListAsync(IModelCatalog catalog, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await catalog.ListAsync(cancellationToken));
        }
        catch (RunFailedException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The model list is not available", detail: e.Message);
        }
    }
}
