using Microsoft.Extensions.FileProviders;

namespace CodyBatch.Web;

/// <summary>
/// Serves the built web UI (<c>web/dist</c>, or <c>CodyBatch:WebRoot</c>) at <c>/</c>, with every
/// path that is not the API, the health check or the OpenAPI document falling back to
/// <c>index.html</c> so the UI's own routes load on refresh. Without a build, nothing is served.
/// </summary>
internal static class WebAppExtensions
{

    public static WebApplication UseWebApp(this WebApplication app)
    {
        var root = app.Configuration["CodyBatch:WebRoot"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : FindBuild(app.Environment.ContentRootPath);
        if (root is null || !File.Exists(Path.Combine(root, "index.html")))
        {
            return app;
        }

        var files = new PhysicalFileProvider(root);
        var compressed = new CompressedAssets(files);
        app.Use(async (context, next) =>
        {
            if (!await compressed.TryServeAsync(context))
            {
                await next(context);
            }
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Vite names each file under /assets by its content hash, so a name never changes meaning.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                file.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
        });
        // GET and HEAD only: any other method on a path no route takes is not the page's business, so
        // routing answers it (405 for a wrong method, 415 for a wrong content type).
        app.MapFallback(async context =>
        {
            if (ApiPathAnswers.IsApiPath(context.Request.Path))
            {
                await ApiPathAnswers.AnswerAsync(context);
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.SendFileAsync(files.GetFileInfo("index.html"));
        }).WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
        // Under any method, an API path no route takes is 404 (or 405 where a route has it under
        // another method), never a 405 that only the page's GET fallback above would claim.
        foreach (var reserved in new[] { "/api/{**path}", "/openapi/{**path}", "/health/{**path}" })
        {
            app.MapFallback(reserved, ApiPathAnswers.AnswerAsync);
        }

        return app;
    }

    // web/dist next to the executable's source tree (dotnet run) or next to the executable (published).
    private static string? FindBuild(string contentRoot)
    {
        foreach (var start in new[] { contentRoot, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "web", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html")))
                {
                    return candidate;
                }

                if (File.Exists(Path.Combine(directory.FullName, "CodyBatch.slnx")))
                {
                    break;
                }
            }
        }

        return null;
    }
}
