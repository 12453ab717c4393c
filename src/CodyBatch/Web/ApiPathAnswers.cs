using Microsoft.AspNetCore.Routing.Template;

namespace CodyBatch.Web;

/// <summary>
/// What the UI's fallback answers for a path of the API that no route took: 405 with <c>Allow</c> when
/// a route has the path under another method, 404 otherwise; both as problem details, never the page.
/// </summary>
internal static class ApiPathAnswers
{
    private static readonly string[] Reserved = ["/api", "/openapi", "/health"];

    public static bool IsApiPath(PathString path) => Reserved.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static Task AnswerAsync(HttpContext context)
    {
        var sources = context.RequestServices.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is { } methods && endpoint.RoutePattern.RawText is { } raw
                && !raw.Contains("*", StringComparison.Ordinal)
                && new TemplateMatcher(TemplateParser.Parse(raw), []).TryMatch(context.Request.Path, []))
            {
                allowed.UnionWith(methods.HttpMethods);
            }
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
