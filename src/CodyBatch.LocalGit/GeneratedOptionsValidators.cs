using Microsoft.Extensions.Options;

namespace CodyBatch.LocalGit;

/// <summary>Checks <see cref="LocalGitOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class LocalGitOptionsValidator : IValidateOptions<LocalGitOptions>;
