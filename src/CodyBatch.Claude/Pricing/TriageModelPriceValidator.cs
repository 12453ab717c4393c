using CodyBatch.Claude.Agent;
using CodyBatch.Core.Agent;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Pricing;

/// <summary>Stops the host at start when <c>CodyBatch:Agent:TriageModel</c> has no price: no cost cap could stop its runs.</summary>
public sealed class TriageModelPriceValidator(IOptions<ClaudeOptions> options) : IValidateOptions<TriageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TriageOptions triage) =>
        new ClaudeModelPriceCheck(options).Refuse(triage.TriageModel) is { } refused
            ? ValidateOptionsResult.Fail($"CodyBatch:Agent:TriageModel: {refused}")
            : ValidateOptionsResult.Success;
}
