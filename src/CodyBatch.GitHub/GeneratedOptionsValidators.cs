using Microsoft.Extensions.Options;

namespace CodyBatch.GitHub;

/// <summary>Checks <see cref="GitHubOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class GitHubOptionsValidator : IValidateOptions<GitHubOptions>;
