namespace CodyBatch.Core.Checks;

/// <summary>One check before and after the change.</summary>
/// <param name="Name">The check's name.</param>
/// <param name="Command">Its command line.</param>
/// <param name="Before">On the baseline; null when it did not run.</param>
/// <param name="After">On the result; null when it did not run.</param>
public sealed record CheckComparison(string Name, string Command, CheckRun? Before, CheckRun? After);
