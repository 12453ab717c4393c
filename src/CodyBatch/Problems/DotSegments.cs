using Microsoft.AspNetCore.Http.Features;

namespace CodyBatch.Problems;

/// <summary>
/// Refuses an API path written with dot segments (<c>/api/jobs/../cancel</c>, <c>/api/jobs/%2e%2e/cancel</c>)
/// with 404 problem details, as for any route that does not exist. Kestrel removes the segments before
/// routing, which would otherwise turn such a path into another route's (or a 405 for it).
/// </summary>
internal static class DotSegments
{
    public static WebApplication UseDotSegmentRefusal(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            if (Web.ApiPathAnswers.IsApiPath(context.Request.Path) && (HasDotSegment(raw) || HasDotSegment(context.Request.Path.Value)))
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Not found",
                    detail: "A path with '.' or '..' segments names no resource in this API; write the path without them (see /openapi/v1.json).")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>Whether a path (raw or decoded, query ignored) has a segment that is <c>.</c> or <c>..</c>, in any escaping.</summary>
    public static bool HasDotSegment(string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return false;
        }

        var path = target.Split('?', 2)[0];
        foreach (var segment in path.Split('/'))
        {
            var decoded = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
