namespace CodyBatch.Core.Runs;

/// <summary>What a triage run answered: whether the prompt's change is necessary in the repository, why, and how sure Claude is.</summary>
/// <param name="Necessary">Whether the change is necessary.</param>
/// <param name="Reason">Why, in a few sentences of markdown.</param>
/// <param name="Confidence">How sure, from 0 (a guess) to 1 (certain).</param>
public sealed record TriageAnswer(bool Necessary, string Reason, double Confidence);
