using Microsoft.Extensions.Options;

namespace CodyBatch.Telemetry;

/// <summary>Checks <see cref="Core.Telemetry.TelemetryOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class TelemetryOptionsValidator : IValidateOptions<Core.Telemetry.TelemetryOptions>;
