using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Engine;

/// <summary>A run this worker has claimed, with the job as stored at the claim.</summary>
public sealed record RunClaim(Job Job, RepositoryRun Run);
