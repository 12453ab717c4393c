using CodyBatch.Core.Templates;

namespace CodyBatch.Templates;

/// <summary>The <c>/api/templates</c> route: the built-in prompts a user can start from.</summary>
internal static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/templates").WithTags("Templates")
            .MapGet("/", List)
            .WithName("ListTemplates").WithSummary("Built-in prompt templates: security fixes, dependency upgrade, tests, documentation.");
        return routes;
    }

    private static Ok<IReadOnlyList<PromptTemplate>> List() => TypedResults.Ok(PromptTemplates.All);
}
