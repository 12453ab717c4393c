using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Json;

namespace CodyBatch.Problems;

/// <summary>JSON, problem details and the OpenAPI document for the API.</summary>
internal static class ProblemsExtensions
{
    /// <summary>Largest request body the API reads, unless an endpoint names its own (<see cref="BodyLimit"/>).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Longest request target (path and query) the API reads; longer ones get a 414 problem.</summary>
    public const int MaxRequestTargetLength = 8 * 1024;

    /// <summary>
    /// Kestrel's own limit on the request line, above <see cref="MaxRequestTargetLength"/>, so the app refuses
    /// long targets first; what Kestrel still refuses itself gets problem details from <see cref="KestrelRejections"/>.
    /// </summary>
    public const int KestrelMaxRequestLineSize = 64 * 1024;

    public static IServiceCollection AddCodyBatchApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        // Binding failures (malformed JSON, wrong types) reach ProblemExceptionHandler, which names the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            // A thread entry carries the fields of its type; those ThreadEntry does not list are part of it too.
            if (context.JsonTypeInfo.Type == typeof(Jobs.ThreadEntry))
            {
                schema.AdditionalProperties = new Microsoft.OpenApi.OpenApiSchema();
            }

            return Task.CompletedTask;
        }));
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestLineSize = KestrelMaxRequestLineSize;
            o.UseProblemDetailsForRejections();
        });
        services.AddHealthChecks().AddCheck<Health.StoreHealthCheck>("store");
        services.AddSingleton<Campaigns.CampaignPages>();
        services.AddSingleton<Core.Campaigns.ICampaignStepObserver>(sp => sp.GetRequiredService<Campaigns.CampaignPages>());
        return services;
    }

    public static WebApplication UseCodyBatchProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var target = context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length ?? 0;
            if (target > MaxRequestTargetLength)
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status414UriTooLong,
                    title: "URL too long",
                    detail: $"The request's path and query have {target:N0} characters; the API reads at most {MaxRequestTargetLength:N0}.")
                    .ExecuteAsync(context);
                return;
            }

            // Refuse oversized bodies before anything reads them; the one limit is the endpoint's, else the API's.
            var maximum = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxRequestBodyBytes;
            if (context.Request.ContentLength > maximum)
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status413PayloadTooLarge,
                    title: "Request body too large",
                    detail: $"The request body has {context.Request.ContentLength:N0} bytes; this route reads at most {maximum:N0}.")
                    .ExecuteAsync(context);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maximum;
            }

            await next(context);
        });
        return app;
    }
}
