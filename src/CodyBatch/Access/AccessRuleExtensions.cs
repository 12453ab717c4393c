using CodyBatch.Core.Access;

namespace CodyBatch.Access;

/// <summary>Declares a route's <see cref="AccessRule"/>.</summary>
internal static class AccessRuleExtensions
{
    /// <summary>The route needs at least <paramref name="role"/>.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(role));

    /// <summary>The route needs no API key: it authenticates its callers itself (a signature).</summary>
    public static TBuilder WithoutApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessRule(null));
}
