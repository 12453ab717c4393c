using CodyBatch.Core.Prompts;

namespace CodyBatch.Prompts;

/// <summary>The <c>/api/prompts</c> routes: users' own prompt templates, beside the built-in <c>/api/templates</c>.</summary>
internal static class PromptEndpoints
{
    public static IEndpointRouteBuilder MapPrompts(this IEndpointRouteBuilder routes)
    {
        var prompts = routes.MapGroup("/api/prompts").WithTags("Prompts");
        prompts.MapGet("/", ListAsync)
            .WithName("ListSavedPrompts").WithSummary("Saved prompts, by name.");
        prompts.MapPost("/", CreateAsync)
            .WithName("CreateSavedPrompt").WithSummary("Save a prompt: name, description, prompt, mode, checks and model.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        prompts.MapGet("/{id}", GetAsync)
            .WithName("GetSavedPrompt").WithSummary("One saved prompt.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        prompts.MapPut("/{id}", UpdateAsync)
            .WithName("UpdateSavedPrompt").WithSummary("Replace a saved prompt's fields.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        prompts.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteSavedPrompt").WithSummary("Delete a saved prompt; schedules that use it record a failed firing until they are changed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<SavedPromptResponse>>> ListAsync(SavedPromptService service, CancellationToken cancellationToken, string? author = null) =>
        TypedResults.Ok<IReadOnlyList<SavedPromptResponse>>([.. (await service.ListAsync(cancellationToken))
            .Where(p => string.IsNullOrWhiteSpace(author) || string.Equals(p.Author, author.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(SavedPromptResponse.From)]);

    private static async Task<Results<Created<SavedPromptResponse>, ValidationProblem>> CreateAsync(
        SavedPromptRequest request, SavedPromptService service, CancellationToken cancellationToken)
    {
        var result = await service.CreateAsync(request, cancellationToken);
        return result.Prompt is { } prompt
            ? TypedResults.Created($"/api/prompts/{prompt.Id}", SavedPromptResponse.From(prompt))
            : Invalid(result);
    }

    private static async Task<Results<Ok<SavedPromptResponse>, ProblemHttpResult>> GetAsync(string id, SavedPromptService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } prompt ? TypedResults.Ok(SavedPromptResponse.From(prompt)) : NotFound(id);

    private static async Task<Results<Ok<SavedPromptResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, SavedPromptRequest request, SavedPromptService service, CancellationToken cancellationToken)
    {
        var result = await service.UpdateAsync(id, request, cancellationToken);
        if (result.NotFound)
        {
            return NotFound(id);
        }

        return result.Prompt is { } prompt ? TypedResults.Ok(SavedPromptResponse.From(prompt)) : Invalid(result);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, SavedPromptService service, CancellationToken cancellationToken) =>
        await service.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ValidationProblem Invalid(SavedPromptResult result) =>
        TypedResults.ValidationProblem(result.Errors, title: "The saved prompt has problems", detail: "Fix the fields listed in errors and submit again.");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no saved prompt {id}.");
}
