using Microsoft.Extensions.Options;

namespace CodyBatch.Aws;

/// <summary>Checks <see cref="AwsStorageOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class AwsStorageOptionsValidator : IValidateOptions<AwsStorageOptions>;

/// <summary>Checks <see cref="Caches.DependencyCacheOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class DependencyCacheOptionsValidator : IValidateOptions<Caches.DependencyCacheOptions>;

/// <summary>Checks <see cref="Dispatch.ReconcilerOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class ReconcilerOptionsValidator : IValidateOptions<Dispatch.ReconcilerOptions>;
