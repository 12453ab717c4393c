namespace CodyBatch.Core.Checks;

/// <summary>One check: a short name (what <c>run_checks</c> takes) and the command line it runs with <c>/bin/sh -c</c>.</summary>
/// <param name="Name">Unique within the plan, e.g. <c>test</c> or <c>npm test</c>.</param>
/// <param name="Command">The shell command line, run in the repository's root.</param>
public sealed record CheckDefinition(string Name, string Command);
