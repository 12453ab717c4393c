using Microsoft.AspNetCore.Routing.Template;

namespace CodyBatch.Web;

/// <summary>
/// What the UI's fallback answers for a path of the API that no route took: 405 with <c>Allow</c> when
/// a route has the path under another method, 415 when it has the method but not the content type, 404 otherwise; all as problem details, never the page.
/// </summary>
internal static class ApiPathAnswers
{
    private static readonly string[] Reserved = ["/api", "/openapi", "/health"];

    public static bool IsApiPath(PathString path) => Reserved.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static Task AnswerAsync(HttpContext context)
    {
        var sources = context.RequestServices.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        var accepts = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is { } methods && endpoint.RoutePattern.RawText is { } raw
                && !raw.Contains("*", StringComparison.Ordinal)
                && new TemplateMatcher(TemplateParser.Parse(raw), []).TryMatch(context.Request.Path, []))
            {
                allowed.UnionWith(methods.HttpMethods);
                if (methods.HttpMethods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
                    && endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is { ContentTypes.Count: > 0 } body)
                {
                    accepts.UnionWith(body.ContentTypes);
                }
            }
        }

        // The route takes this method, so the request only reached here for its content type.
        if (accepts.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"{context.Request.Path} takes a body of {string.Join(" or ", accepts)}, not {context.Request.ContentType ?? "none"}.")
                .ExecuteAsync(context);
        }

        if (allowed.Count > 0)
        {
            context.Response.Headers.Allow = string.Join(", ", allowed);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status405MethodNotAllowed,
                title: "Method not allowed",
                detail: $"{context.Request.Path} takes {string.Join(" or ", allowed)}, not {context.Request.Method}.")
                .ExecuteAsync(context);
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no {context.Request.Path} in this API; see /openapi/v1.json.")
            .ExecuteAsync(context);
    }
}
