namespace CodyBatch.Core.Environments;

/// <summary>What the egress proxy did with one connection a sandbox asked for.</summary>
/// <param name="Host">The host name asked for.</param>
/// <param name="Port">The port asked for.</param>
/// <param name="Allowed">Whether it was let through.</param>
/// <param name="Reason">Why it was refused (a sentence), when it was.</param>
public sealed record EgressDecision(string Host, int Port, bool Allowed, string? Reason);
