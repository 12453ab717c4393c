using System.Text.Json.Serialization;
using CodyBatch.Access;
using CodyBatch.Campaigns;
using CodyBatch.Capabilities;
using CodyBatch.Core.Access;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Campaigns;
using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.Schedules;
using CodyBatch.Core.Templates;
using CodyBatch.GitHub.Repositories;
using CodyBatch.Prompts;
using CodyBatch.Schedules;
using CodyBatch.Webhooks;

namespace CodyBatch.Jobs;

/// <summary>
/// The API's request and response types, their JSON metadata written at build time. First in the API's resolver
/// chain (<see cref="ApiJson.Configure"/>), ahead of reflection, which still serves any type not listed here.
/// </summary>
/// <remarks>
/// Why: the first request builds every endpoint, and each request body's metadata was built by reflection then
/// (about 80 methods compiled at run time before the API function's first answer). Only the metadata comes from
/// here: names, enum values and nulls come from the options it is used with (<see cref="ApiJson.Configure"/>), so
/// the JSON is the same as reflection's; <c>ApiJsonContextTests</c> holds the two to that. Not listed: the thread
/// (<see cref="ThreadResponse"/>, <see cref="JobThreadEvent"/>), because the generator sets init-only properties through
/// the constructor, which <see cref="ThreadEntry"/>'s extension data cannot be; reflection still writes it.
/// </remarks>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
// Request bodies (resolved when the endpoints are built, on the first request).
[JsonSerializable(typeof(CreateJobRequest))]
[JsonSerializable(typeof(CampaignRequest))]
[JsonSerializable(typeof(TriageOverrideRequest))]
[JsonSerializable(typeof(NewApiKey))]
[JsonSerializable(typeof(SavedPromptRequest))]
[JsonSerializable(typeof(ScheduleRequest))]
// Responses and the job event stream's events.
[JsonSerializable(typeof(JobResponse))]
[JsonSerializable(typeof(JobListResponse))]
[JsonSerializable(typeof(IReadOnlyList<RunResultRow>))]
[JsonSerializable(typeof(JobEndEvent))]
[JsonSerializable(typeof(JobStageEvent))]
[JsonSerializable(typeof(JobActivityEvent))]
[JsonSerializable(typeof(JobUsageEvent))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(ApiKeyResponse))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyResponse>))]
[JsonSerializable(typeof(CreatedApiKeyResponse))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(SpendReport))]
[JsonSerializable(typeof(CapabilitiesResponse))]
[JsonSerializable(typeof(CampaignPreviewResponse))]
[JsonSerializable(typeof(FleetCampaignCreated))]
[JsonSerializable(typeof(FleetCampaignResponse))]
[JsonSerializable(typeof(IReadOnlyList<FleetCampaignListItem>))]
[JsonSerializable(typeof(RepositoryPage))]
[JsonSerializable(typeof(IReadOnlyList<AvailableModel>))]
[JsonSerializable(typeof(IReadOnlyList<NotificationDelivery>))]
[JsonSerializable(typeof(IReadOnlyList<PromptTemplate>))]
[JsonSerializable(typeof(SavedPromptResponse))]
[JsonSerializable(typeof(IReadOnlyList<SavedPromptResponse>))]
[JsonSerializable(typeof(ScheduleResponse))]
[JsonSerializable(typeof(IReadOnlyList<ScheduleResponse>))]
[JsonSerializable(typeof(FiredResponse))]
[JsonSerializable(typeof(MergeResponse))]
[JsonSerializable(typeof(PullRequestActionResponse))]
[JsonSerializable(typeof(WebhookReceipt))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
