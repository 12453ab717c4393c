using Microsoft.Extensions.FileProviders;

namespace CodyBatch.Web;

/// <summary>
/// Serves the built web UI (<c>web/dist</c>, or <c>CodyBatch:WebRoot</c>) at <c>/</c>, with every
/// path that is not the API, the health check or the OpenAPI document falling back to
/// <c>index.html</c> so the UI's own routes load on refresh. Without a build, nothing is served.
/// </summary>
internal static class WebAppExtensions
{
    public static IServiceCollection AddWebApp(this IServiceCollection services) =>
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<NotApiPathConstraint>(NotApiPathConstraint.Name));

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
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapFallback($"{{*path:nonfile:{NotApiPathConstraint.Name}}}", async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.SendFileAsync(files.GetFileInfo("index.html"));
        });
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
