using CodyBatch.Core.Admission;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Environments;
using CodyBatch.Core.Hosting;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Publishing;
using CodyBatch.Core.Schedules;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core;

/// <summary>Registers Core's services.</summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the job service, the run pipeline and (when <paramref name="withWorker"/>) the
    /// in-process worker loop, pull request refresher and schedule loop, with options bound from <c>CodyBatch</c> and validated at start.
    /// The host adds a job store (with saved prompt, schedule, notification, API key and audit stores), an artifact store, a repository host and a code agent.
    /// </summary>
    public static IServiceCollection AddCodyBatchCore(this IServiceCollection services, bool withWorker)
    {
        services.AddOptionsWithValidateOnStart<CodyBatchOptions>().BindConfiguration(CodyBatchOptions.Section).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<WorkspaceOptions>().BindConfiguration(WorkspaceOptions.Section).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<TriageOptions>().BindConfiguration(TriageOptions.Section).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<PullRequestOptions>().BindConfiguration(PullRequestOptions.Section).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<PublishDefaultsOptions>().BindConfiguration(PublishDefaultsOptions.Section).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<JobRateLimitOptions>().BindConfiguration(JobRateLimitOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton<IJobAdmission, TokenBucketAdmission>();
        services.AddOptionsWithValidateOnStart<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(SecretRedactor.None);
        services.AddSingleton<JobRequestValidator>();
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<RunCancellations>();
        services.AddSingleton<JobEndingWrites>();
        services.AddSingleton<JobService>();
        services.AddSingleton<WorkspaceFactory>();
        services.AddOptionsWithValidateOnStart<CheckOptions>().BindConfiguration(CheckOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton<ICheckRunner, UnavailableCheckRunner>();
        services.AddSingleton<VerificationStep>();
        services.AddOptionsWithValidateOnStart<ShellOptions>().BindConfiguration(ShellOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton<IShellSessionFactory, UnavailableShellSessionFactory>();
        services.AddOptionsWithValidateOnStart<EgressOptions>().BindConfiguration(EgressOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<IValidateOptions<EgressOptions>, PrivateRegistryValidator>();
        services.TryAddSingleton<IEgressProxyFactory, NoEgressProxyFactory>();
        services.AddOptionsWithValidateOnStart<CacheOptions>().BindConfiguration(CacheOptions.Section).ValidateDataAnnotations();
        services.TryAddSingleton<IDependencyCacheStore, LocalDependencyCacheStore>();
        services.AddSingleton<RunEnvironments>();
        services.AddSingleton<PullRequestComposer>();
        services.AddSingleton<RunArtifacts>();
        services.AddSingleton<AgentStep>();
        services.AddSingleton<PublishStep>();
        services.AddSingleton<RunPipeline>();
        services.AddSingleton<RunClaimer>();
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<RunEnding>();
        services.AddSingleton<Telemetry.JobTraces>();
        services.AddSingleton<ClaimedRunExecutor>();
        services.AddSingleton<JobWorker>();
        services.AddSingleton<SingleJobRunner>();
        services.TryAddSingleton<IPullRequestHost, NoPullRequestHost>();
        services.TryAddSingleton<IOpenPullRequests, NoOpenPullRequests>();
        services.AddSingleton<OverlapCheck>();
        services.AddSingleton<PullRequestMerger>();
        services.AddOptionsWithValidateOnStart<ShepherdOptions>().BindConfiguration(ShepherdOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<RoundStarter>();
        services.AddSingleton<RoundReporter>();
        services.AddSingleton<RoundDecider>();
        services.AddSingleton<PullRequestTracker>();
        services.AddSingleton<PullRequestRefresher>();
        services.AddSingleton(sp => new DeliveryLogPruner(
            sp.GetService<IDeliveryLog>(), sp.GetRequiredService<IOptions<PullRequestOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeliveryLogPruner>>()));
        services.AddSingleton<SavedPromptService>();
        services.AddSingleton<ScheduleService>();
        services.AddSingleton<ScheduleFirer>();
        services.AddSingleton<ScheduleRunner>();
        services.AddOptionsWithValidateOnStart<Campaigns.CampaignOptions>().BindConfiguration(Campaigns.CampaignOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<Campaigns.CampaignSignal>();
        services.AddSingleton(sp => new Campaigns.SelectionResolver(sp.GetRequiredService<IOptions<CodyBatchOptions>>(), sp.GetService<Repositories.IRepositoryDirectory>()));
        services.AddSingleton(sp => new Campaigns.CampaignRequestValidator(
            sp.GetRequiredService<JobRequestValidator>(), sp.GetRequiredService<Campaigns.SelectionResolver>(), sp.GetService<ISavedPromptStore>()));
        services.AddSingleton<Campaigns.CampaignService>();
        services.AddSingleton<Campaigns.CampaignDriver>();
        services.AddSingleton<Campaigns.CampaignRunner>();
        services.AddSingleton<JobNotifier>();
        services.AddOptionsWithValidateOnStart<Access.AuditOptions>().BindConfiguration(Access.AuditOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<Access.ApiKeyService>();
        services.AddSingleton<Access.AuditTrail>();
        services.AddOptionsWithValidateOnStart<Access.SpendOptions>().BindConfiguration(Access.SpendOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<Access.SpendService>();
        services.AddHostedService<StoreInitializer>();
        if (withWorker)
        {
            // Resolved only when on: the worker's graph (pipeline, agent, repository hosts) is the bulk of the start-up work.
            // The loops are built and started once the host has started (the HTTP server listens): the first requests
            // do not wait for their graphs or their first passes.
            services.AddHostedServiceAfterStart(sp => sp.GetRequiredService<IOptions<WorkerOptions>>().Value.Enabled
                ? sp.GetRequiredService<JobWorker>()
                : ActivatorUtilities.CreateInstance<WorkerSwitchedOff>(sp));
            services.AddHostedServiceAfterStart(sp => sp.GetRequiredService<PullRequestRefresher>());
            services.AddHostedServiceAfterStart(sp => sp.GetRequiredService<DeliveryLogPruner>());
            services.AddHostedServiceAfterStart(sp => sp.GetRequiredService<ScheduleRunner>());
            services.AddHostedServiceAfterStart(sp => sp.GetRequiredService<Campaigns.CampaignRunner>());
            services.AddHostedServiceAfterStart(sp => ActivatorUtilities.CreateInstance<Access.AuditRetention>(sp));
        }

        return services;
    }
}
