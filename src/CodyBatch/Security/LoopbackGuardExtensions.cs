namespace CodyBatch.Security;

internal static class LoopbackGuardExtensions
{
    public static IServiceCollection AddLoopbackGuard(this IServiceCollection services) =>
        services.AddHostedService<LoopbackGuard>();
}
