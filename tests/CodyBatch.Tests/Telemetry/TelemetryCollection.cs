namespace CodyBatch.Tests.Telemetry;

/// <summary>
/// Activity sources and meters are process-wide: while one test's exporter listens, every other test's spans and
/// measurements would reach it. The telemetry tests therefore run alone, after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
