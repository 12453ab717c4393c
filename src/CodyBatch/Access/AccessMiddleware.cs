using System.Net;
using System.Security.Cryptography;
using System.Text;
using CodyBatch.Core.Access;
using CodyBatch.Core.Schedules;
using CodyBatch.Schedules;
using CodyBatch.Security;
using Admission = CodyBatch.Core.Admission;

namespace CodyBatch.Access;

/// <summary>
/// Who calls, and whether they may: every <c>/api</c> request and <c>POST /events/schedules</c> is
/// authenticated by its key (when the server has keys: <c>CodyBatch:ApiKeys</c> or any named key; see
/// <see cref="BearerCredentials"/> for the spellings), its route's <see cref="AccessRule"/> is enforced
/// (403 naming the role needed), the caller flows to Core through <see cref="CallerContext"/> and to the
/// job rate limit through <see cref="Callers"/> (a named key by its id), and every state-changing request
/// (anything but GET and HEAD) is written to the audit log with its outcome. The schedules' event route
/// needs no key where the Lambda Web Adapter passes the scheduler's IAM-authorized invocation through.
/// </summary>
internal static class AccessMiddleware
{
    private static readonly object CallerKey = new();

    /// <summary>The request's authenticated caller; null before authentication or outside <c>/api</c>.</summary>
    public static Caller? CallerOf(HttpContext context) => context.Items.TryGetValue(CallerKey, out var caller) ? caller as Caller : null;

    public static WebApplication UseAccess(this WebApplication app)
    {
        var lambdaEvents = app.Services.GetRequiredService<IOptions<ScheduleOptions>>().Value.LambdaPassThrough;
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var events = path.StartsWithSegments(ScheduleEndpoints.EventsPath, StringComparison.OrdinalIgnoreCase);
            if ((!events && !path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)) || (events && lambdaEvents && IsLambdaPassThrough(context)))
            {
                await next(context);
                return;
            }

            var keys = context.RequestServices.GetRequiredService<ApiKeyService>();
            var required = AccessRule.Required(context.GetEndpoint(), context.Request.Method);
            Caller caller;
            if (required is null)
            {
                caller = Caller.Webhook;
            }
            else if (!await keys.IsRequiredAsync(context.RequestAborted))
            {
                caller = Caller.Local;
            }
            else
            {
                var presented = BearerCredentials.Read(context.Request);
                var authentication = presented is null ? null : await keys.AuthenticateAsync(presented, context.RequestAborted);
                if (authentication?.Caller is not { } authenticated)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await TypedResults.Problem(
                        statusCode: StatusCodes.Status401Unauthorized,
                        title: "API key required",
                        detail: authentication?.Problem ?? "Send an API key of this server as 'Authorization: Bearer <key>'.")
                        .ExecuteAsync(context);
                    return;
                }

                caller = authenticated;

                // The job rate limit's identity: a named key by its id; a configured key by a prefix of its digest, as before names.
                Callers.Set(context, authenticated.KeyId is { } keyId
                    ? new Admission.Caller("key:" + keyId)
                    : Admission.Caller.ForKeyDigest(SHA256.HashData(Encoding.UTF8.GetBytes(presented!.Trim()))));
            }

            context.Items[CallerKey] = caller;
            using var scope = CallerContext.Use(caller);
            if (required is { } role && caller.Role < role)
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Not allowed",
                    detail: $"This needs the {Name(role)} role; the key {caller.Name} has the {Name(caller.Role)} role. Ask an admin for a key with the {Name(role)} role.")
                    .ExecuteAsync(context);
                await AuditAsync(context, caller);
                return;
            }

            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                await next(context);
                return;
            }

            try
            {
                await next(context);
            }
            catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
            {
                await AuditAsync(context, caller, failed: true);
                throw;
            }

            await AuditAsync(context, caller);
        });
        return app;
    }

    /// <summary>The role's name as the API spells it.</summary>
    public static string Name(Role role) => role.ToString().ToLowerInvariant();

    /// <summary>
    /// An event the Lambda Web Adapter passed through (EventBridge Scheduler's invocation, which IAM
    /// authorized): it comes from the adapter on loopback, and the adapter sets
    /// <c>x-amzn-request-context</c> on every request it forwards, to <c>null</c> only for such events
    /// (an HTTP request through the function URL carries its request context there instead).
    /// </summary>
    private static bool IsLambdaPassThrough(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        && context.Request.Headers["x-amzn-request-context"] is { Count: 1 } requestContext
        && requestContext[0] == "null";

    private static Task AuditAsync(HttpContext context, Caller caller, bool failed = false)
    {
        var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
        var endpoint = context.GetEndpoint();
        var action = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? $"{context.Request.Method} {context.Request.Path}";
        return context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(
            caller,
            action,
            Target(context),
            status >= 500 ? "failed" : status >= 400 ? "refused" : "succeeded",
            CancellationToken.None,
            address: context.Connection.RemoteIpAddress?.ToString(),
            status: status);
    }

    // "job 01k…", "job 01k… acme/api", "key key-01k…", "delivery 72d3…": the object, from the route or the Location of what was created.
    private static string? Target(HttpContext context)
    {
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var noun = segments.Length > 1 ? segments[1].TrimEnd('s') : "api";
        var values = context.Request.RouteValues;
        var id = values.TryGetValue("id", out var v) ? v?.ToString() : null;
        if (id is null && context.Response.Headers.Location.ToString() is { Length: > 0 } location)
        {
            id = location.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
        }

        if (noun == "webhook" && context.Request.Headers["X-GitHub-Delivery"].ToString() is { Length: > 0 and <= 200 } delivery)
        {
            return $"delivery {delivery} ({context.Request.Headers["X-GitHub-Event"]})";
        }

        var repository = values.TryGetValue("owner", out var owner) && values.TryGetValue("name", out var name) ? $" {owner}/{name}" : "";
        return id is null ? null : $"{noun} {id}{repository}";
    }
}
