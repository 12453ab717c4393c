namespace CodyBatch.Core.Agent;

/// <summary>One model a job may use, with its list prices in US dollars per million tokens (null when unknown).</summary>
public sealed record AvailableModel(
    string Id,
    string DisplayName,
    DateTimeOffset? CreatedAt,
    decimal? InputPerMillion,
    decimal? OutputPerMillion,
    decimal? CacheWritePerMillion,
    decimal? CacheReadPerMillion);
