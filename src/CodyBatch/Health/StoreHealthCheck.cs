using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CodyBatch.Health;

/// <summary>Ready when the job store answers a query.</summary>
internal sealed class StoreHealthCheck(IJobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ListAsync(new JobQuery(Limit: 1), cancellationToken);
            return HealthCheckResult.Healthy("The job store answers.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The job store does not answer.", e);
        }
    }
}
