namespace CodyBatch.Security;

/// <summary>
/// Headers on every answer, UI and API alike: a Content-Security-Policy (the UI loads scripts,
/// styles, images and data only from this origin; the API's answers may load nothing), no framing,
/// no content-type sniffing, no referrer sent to other sites, and a window and resources of its own.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The UI's policy: everything from this origin only; images also as <c>data:</c> URLs.</summary>
    public const string UiPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The API's policy: an answer shown in a browser loads nothing and runs nothing.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

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
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
