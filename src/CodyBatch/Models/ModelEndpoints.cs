using CodyBatch.Core.Agent;

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

    /// <summary>Where the list came from: <c>anthropic</c>, <c>bedrock</c> or <c>price-table</c>.</summary>
    public const string SourceHeader = "X-Models-Source";

    /// <summary>Why the list is not the provider's own, in a sentence, when it is not.</summary>
    public const string NoteHeader = "X-Models-Note";

    private static async Task<Results<Ok<IReadOnlyList<AvailableModel>>, ProblemHttpResult>> ListAsync(IModelCatalog catalog, HttpResponse response, CancellationToken cancellationToken)
    {
        try
        {
            var listing = await catalog.ListingAsync(cancellationToken);
            response.Headers[SourceHeader] = listing.Source;
            if (listing.Note is { } note)
            {
                // A header holds printable ASCII only; the sentence may quote what AWS said.
                response.Headers[NoteHeader] = new string([.. note.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
            }

            return TypedResults.Ok(listing.Models);
        }
        catch (RunFailedException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The model list is not available", detail: e.Message);
        }
    }
}
