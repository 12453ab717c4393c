using CodyBatch.Jobs;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;

namespace CodyBatch.Problems;

/// <summary>JSON, problem details and the OpenAPI document for the API.</summary>
internal static class ProblemsExtensions
{
    /// <summary>Largest request body the API reads.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IServiceCollection AddCodyBatchApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        // Binding failures (malformed JSON, wrong types) reach ProblemExceptionHandler, which names the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<Health.StoreHealthCheck>("store");
        return services;
    }

    public static WebApplication UseCodyBatchProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            // Refuse oversized bodies before anything reads them.
            if (context.Request.ContentLength > MaxRequestBodyBytes)
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: $"The request body has {context.Request.ContentLength:N0} bytes; the API reads at most {MaxRequestBodyBytes:N0}.")
                    .ExecuteAsync(context);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxRequestBodyBytes;
            }

            await next(context);
        });
        return app;
    }
}
