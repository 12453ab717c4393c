namespace CodyBatch.Core.Campaigns;

/// <summary>
/// A job a campaign step decided to start, recorded on the campaign before the job is created: its id, its kind and
/// its repositories' indexes. A step that stopped before the job or its rows were written is finished by the next
/// step from this record, so no repository is started twice.
/// </summary>
/// <param name="JobId">The job's id, fixed before it is created.</param>
/// <param name="Kind">Triage, canary or fix.</param>
/// <param name="Indexes">Its repositories' indexes in the campaign's list.</param>
public sealed record StartingJob(string JobId, CampaignJobKind Kind, IReadOnlyList<int> Indexes);
