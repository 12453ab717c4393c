using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Configuration;

/// <summary>Checks <see cref="Access.AuditOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class AuditOptionsValidator : IValidateOptions<Access.AuditOptions>;

/// <summary>Checks <see cref="Access.SpendOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class SpendOptionsValidator : IValidateOptions<Access.SpendOptions>;

/// <summary>Checks <see cref="Checks.CheckOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class CheckOptionsValidator : IValidateOptions<Checks.CheckOptions>;

/// <summary>Checks <see cref="CodyBatchOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class CodyBatchOptionsValidator : IValidateOptions<CodyBatchOptions>;

/// <summary>Checks <see cref="Environments.EgressOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class EgressOptionsValidator : IValidateOptions<Environments.EgressOptions>;

/// <summary>Checks <see cref="Admission.JobRateLimitOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class JobRateLimitOptionsValidator : IValidateOptions<Admission.JobRateLimitOptions>;

/// <summary>Checks <see cref="Notifications.NotificationOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class NotificationOptionsValidator : IValidateOptions<Notifications.NotificationOptions>;

/// <summary>Checks <see cref="Publishing.PublishDefaultsOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class PublishDefaultsOptionsValidator : IValidateOptions<Publishing.PublishDefaultsOptions>;

/// <summary>Checks <see cref="PullRequests.PullRequestOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class PullRequestOptionsValidator : IValidateOptions<PullRequests.PullRequestOptions>;

/// <summary>Checks <see cref="Schedules.ScheduleOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class ScheduleOptionsValidator : IValidateOptions<Schedules.ScheduleOptions>;

/// <summary>Checks <see cref="Environments.ShellOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class ShellOptionsValidator : IValidateOptions<Environments.ShellOptions>;

/// <summary>Checks <see cref="WorkerOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>;

/// <summary>Checks <see cref="WorkspaceOptions"/>'s validation attributes with code generated at build time (no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class WorkspaceOptionsValidator : IValidateOptions<WorkspaceOptions>;
