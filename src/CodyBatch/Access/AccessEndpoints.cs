using CodyBatch.Core.Access;

namespace CodyBatch.Access;

/// <summary>The <c>/api/me</c>, <c>/api/keys</c> and <c>/api/audit</c> routes.</summary>
internal static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/me", Me).WithTags("Access")
            .WithName("GetMe").WithSummary("Who the API key belongs to and what its role may do.")
            .RequireRole(Role.Viewer);

        var keys = routes.MapGroup("/api/keys").WithTags("Access").RequireRole(Role.Admin);
        keys.MapGet("/", ListAsync)
            .WithName("ListApiKeys").WithSummary("Every named API key (never its text), oldest first.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        keys.MapPost("/", CreateAsync)
            .WithName("CreateApiKey").WithSummary("Create a named key with a role; its text is in this answer only.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        keys.MapPost("/{id}/revoke", RevokeAsync)
            .WithName("RevokeApiKey").WithSummary("Revoke a key; it opens nothing from now on.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        routes.MapGet("/api/audit", AuditAsync).WithTags("Access")
            .WithName("ListAuditEntries").WithSummary("The audit log, newest first, filtered by actor, action, target and time, in pages.")
            .RequireRole(Role.Admin)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        return routes;
    }

    private static Ok<MeResponse> Me(HttpContext context)
    {
        var caller = AccessMiddleware.CallerOf(context) ?? Caller.Local;
        return TypedResults.Ok(new MeResponse(caller.Name, AccessMiddleware.Name(caller.Role), caller.KeyId, caller.Role >= Role.Operator, caller.Role >= Role.Admin));
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyResponse>>> ListAsync(ApiKeyService service, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ApiKeyResponse>>([.. (await service.ListAsync(cancellationToken)).Select(k => ApiKeyResponse.From(k, time.GetUtcNow()))]);

    private static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem>> CreateAsync(
        NewApiKey request, ApiKeyService service, TimeProvider time, CancellationToken cancellationToken)
    {
        var created = await service.CreateAsync(request, CallerContext.Current, cancellationToken);
        return created is { Key: { } key, Secret: { } secret }
            ? TypedResults.Created($"/api/keys/{key.Id}", new CreatedApiKeyResponse(ApiKeyResponse.From(key, time.GetUtcNow()), secret))
            : TypedResults.ValidationProblem(created.Errors, title: "The key request has problems", detail: "Fix the fields listed in errors and submit again.");
    }

    private static async Task<Results<Ok<ApiKeyResponse>, ProblemHttpResult>> RevokeAsync(string id, ApiKeyService service, TimeProvider time, CancellationToken cancellationToken) =>
        await service.RevokeAsync(id, cancellationToken) is { } key
            ? TypedResults.Ok(ApiKeyResponse.From(key, time.GetUtcNow()))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no API key {id}; list them with GET /api/keys.");

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> AuditAsync(
        AuditTrail audit,
        CancellationToken cancellationToken,
        string? actor = null,
        string? action = null,
        string? target = null,
        DateTimeOffset? since = null,
        DateTimeOffset? until = null,
        int? limit = null,
        string? cursor = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > 200)
        {
            errors["limit"] = ["limit must be between 1 and 200."];
        }

        if (!string.IsNullOrEmpty(cursor) && !(cursor.StartsWith("audit-", StringComparison.Ordinal) && Core.Jobs.JobId.IsValid(cursor["audit-".Length..])))
        {
            errors["cursor"] = ["cursor is not one this API gave out; pass nextCursor from the previous page unchanged."];
        }

        if (since is { } s && until is { } u && u <= s)
        {
            errors["until"] = ["until must be later than since."];
        }

        if ((actor?.Length ?? 0) > 200 || (action?.Length ?? 0) > 200 || (target?.Length ?? 0) > 300)
        {
            errors["query"] = ["actor and action are at most 200 characters, target at most 300."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query has problems");
        }

        return TypedResults.Ok(await audit.QueryAsync(
            new AuditQuery(actor, action, target, since, until, limit ?? 50, string.IsNullOrEmpty(cursor) ? null : cursor), cancellationToken));
    }
}
