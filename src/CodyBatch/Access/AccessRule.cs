using CodyBatch.Core.Access;

namespace CodyBatch.Access;

/// <summary>
/// Endpoint metadata: the role a route needs, or (<see cref="Role"/> null) that it needs no key because it
/// authenticates otherwise (GitHub's signed webhooks). Routes without it need <see cref="Core.Access.Role.Viewer"/>
/// to read (GET, HEAD) and <see cref="Core.Access.Role.Operator"/> for anything else.
/// </summary>
/// <param name="Role">The least role that may call the route; null for no key.</param>
internal sealed record AccessRule(Role? Role)
{
    /// <summary>The role <paramref name="endpoint"/> needs for <paramref name="method"/>; null when it needs no key.</summary>
    public static Role? Required(Endpoint? endpoint, string method) =>
        endpoint?.Metadata.GetMetadata<AccessRule>() is { } rule
            ? rule.Role
            : HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? Core.Access.Role.Viewer : Core.Access.Role.Operator;
}
