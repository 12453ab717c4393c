namespace CodyBatch.Core.Access;

/// <summary>
/// Who does something: a named API key, one of the configured keys, a schedule, a webhook, a
/// background loop or the local user of an unauthenticated server. <see cref="Name"/> is what
/// authorship and the audit log record; <see cref="KeyId"/> is set for stored keys only.
/// </summary>
/// <param name="Name">A key's name, <c>schedule X</c>, <c>webhook</c>, <c>local</c>…</param>
/// <param name="Role">What the caller may do.</param>
/// <param name="KeyId">The stored key's id (<c>key-…</c>), for per-key spend caps; null for everyone else.</param>
public sealed record Caller(string Name, Role Role, string? KeyId = null)
{
    /// <summary>The user of a server without API keys (it answers on loopback only), and of the CLI.</summary>
    public static Caller Local { get; } = new("local", Role.Admin);

    /// <summary>GitHub's signed webhook deliveries.</summary>
    public static Caller Webhook { get; } = new("webhook", Role.Operator);

    /// <summary>The pull request refresher and other background work of the server itself.</summary>
    public static Caller Server { get; } = new("server", Role.Admin);

    /// <summary>The shepherd: merges of <c>merge: green</c> and its follow-up round decisions on pull requests.</summary>
    public static Caller Shepherd { get; } = new("shepherd", Role.Operator);

    /// <summary>A schedule starting its job.</summary>
    public static Caller Schedule(string name) => new($"schedule {name}", Role.Operator);

    /// <summary>The key at <paramref name="index"/> of <c>CodyBatch:ApiKeys</c>: an admin, as before keys had roles.</summary>
    public static Caller Configured(int index) => new($"configured key {index + 1}", Role.Admin);
}
