using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Agent;

/// <summary>Checks <see cref="ClaudeOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class ClaudeOptionsValidator : IValidateOptions<ClaudeOptions>;
