namespace CodyBatch.Core.Jobs;

/// <summary>Names one repository run.</summary>
public sealed record RunRef(string JobId, string Repository);
