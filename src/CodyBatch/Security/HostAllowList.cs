using CodyBatch.Core.Configuration;

namespace CodyBatch.Security;

/// <summary>
/// A server without API keys listens on loopback only, but a page on another site can still reach
/// it through the browser by pointing its own name at 127.0.0.1 (DNS rebinding); the browser then
/// sends that name as <c>Host</c>. So without keys only loopback names, and those in
/// <c>CodyBatch:AllowedHosts</c>, are answered.
/// </summary>
internal static class HostAllowList
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    public static WebApplication UseHostAllowList(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<CodyBatchOptions>>().Value;
        if (options.ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k)))
        {
            return app;
        }

        var allowed = new HashSet<string>([.. LoopbackNames, .. options.AllowedHosts.Select(h => h.Trim())], StringComparer.OrdinalIgnoreCase);
        app.Use(async (context, next) =>
        {
            var host = context.Request.Host.Host;
            if (host.Length > 0 && (allowed.Contains(host) || allowed.Contains($"[{host}]") || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
            {
                await next(context);
                return;
            }

            await TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Host not allowed",
                detail: $"This server has no API keys, so it answers only to localhost, 127.0.0.1 and [::1], not to \"{context.Request.Host.Value}\" "
                    + "(a guard against DNS rebinding). Add the name to CodyBatch:AllowedHosts, or set CodyBatch:ApiKeys.")
                .ExecuteAsync(context);
        });
        return app;
    }
}
