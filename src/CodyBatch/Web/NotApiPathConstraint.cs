namespace CodyBatch.Web;

/// <summary>
/// Keeps the UI's fallback route off the API's paths, so that routing answers those itself:
/// 405 for a wrong method, 415 for a wrong content type, 404 for no such route.
/// </summary>
internal sealed class NotApiPathConstraint : IRouteConstraint
{
    /// <summary>The name of the constraint in route patterns.</summary>
    public const string Name = "notapi";

    private static readonly string[] Reserved = ["api", "openapi", "health"];

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
    {
        var value = values.TryGetValue(routeKey, out var raw) ? raw?.ToString() ?? "" : "";
        var first = value.TrimStart('/').Split('/', 2)[0];
        return !Reserved.Contains(first, StringComparer.OrdinalIgnoreCase);
    }
}
