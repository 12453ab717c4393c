namespace CodyBatch.Core.Jobs;

/// <summary>What a working run shows while it works: what it is doing now and how much of its thread is stored.</summary>
/// <param name="Activity">What the run is doing now (e.g. <c>turn 7 · search_code `query(`</c>), or null.</param>
/// <param name="ThreadArtifact">The thread artifact stored so far, or null while none is.</param>
/// <param name="ThreadEntries">How many entries that artifact holds.</param>
public sealed record LiveState(string? Activity, string? ThreadArtifact, int ThreadEntries);
