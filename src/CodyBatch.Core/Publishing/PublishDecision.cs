using CodyBatch.Core.Risk;

namespace CodyBatch.Core.Publishing;

/// <summary>Whether a run's change becomes a pull request, and if not, what the run says instead.</summary>
/// <param name="OpensPullRequest">True when the change is to be pushed and a pull request opened.</param>
/// <param name="Notice">Why there is no pull request, when that is worth saying (no push permission, a probable secret).</param>
/// <param name="Risk">What the risk scan found in the patch.</param>
public sealed record PublishDecision(bool OpensPullRequest, string? Notice, RiskReport Risk);
