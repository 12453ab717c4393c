using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CodyBatch.Health;

/// <summary><c>GET /health</c>: 200 when the process is up and its store answers, 503 otherwise.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString().ToLowerInvariant(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
                }));
            },
        }).WithName("GetHealth").WithSummary("Liveness and readiness.");
        return routes;
    }
}
