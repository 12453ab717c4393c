namespace CodyBatch.Security;

/// <summary>
/// Headers on every answer, UI and API alike: a Content-Security-Policy (the UI loads scripts,
/// styles, images and data only from this origin; the API's answers may load nothing), no framing,
/// no content-type sniffing, no referrer sent to other sites, and a window and resources of its own.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The UI's policy (CloudFront sends the same on AWS; see <see cref="SecurityHeaderValues"/>).</summary>
    public const string UiPolicy = SecurityHeaderValues.UiPolicy;

    /// <summary>The API's policy.</summary>
    public const string ApiPolicy = SecurityHeaderValues.ApiPolicy;

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var api = path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health");
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = api ? ApiPolicy : UiPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = SecurityHeaderValues.ReferrerPolicy;
                headers["Cross-Origin-Opener-Policy"] = SecurityHeaderValues.SameOrigin;
                headers["Cross-Origin-Resource-Policy"] = SecurityHeaderValues.SameOrigin;
                headers["Permissions-Policy"] = SecurityHeaderValues.PermissionsPolicy;
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
