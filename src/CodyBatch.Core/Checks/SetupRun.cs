namespace CodyBatch.Core.Checks;

/// <summary>One setup command as it ran (on the baseline, or again after the change).</summary>
/// <param name="Command">The command line.</param>
/// <param name="Run">How it did.</param>
public sealed record SetupRun(string Command, CheckRun Run);
