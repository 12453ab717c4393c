using CodyBatch.Core.Admission;

namespace CodyBatch.Security;

/// <summary>
/// The authenticated caller of a request, as the API key check found it; without API keys, the
/// client's address. Limits and authorship read it from here, never from a header.
/// </summary>
internal static class Callers
{
    public static void Set(HttpContext context, Caller caller) => context.Features.Set(new CallerFeature(caller));

    public static Caller Of(HttpContext context) =>
        context.Features.Get<CallerFeature>()?.Caller ?? Caller.ForAddress(context.Connection.RemoteIpAddress);

    private sealed record CallerFeature(Caller Caller);
}
