namespace CodyBatch.Core.Checks;

/// <summary>What one session produced: the setup commands' results and each check's.</summary>
public sealed record CheckSessionResult(IReadOnlyList<CheckResult> Setup, IReadOnlyList<CheckResult> Checks);
