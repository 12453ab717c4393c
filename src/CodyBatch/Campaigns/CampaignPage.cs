namespace CodyBatch.Campaigns;

/// <summary>A campaign page's answer as JSON bytes, its entity tag, and the store versions it was built from.</summary>
/// <param name="CampaignVersion">The campaign record's version.</param>
/// <param name="RowsVersion">The campaign's rows' versions added up.</param>
/// <param name="ValidUntil">When the answer changes with time alone (the hourly pull request count).</param>
/// <param name="Body">The <see cref="FleetCampaignResponse"/> as UTF-8 JSON, in segments kept off the large object heap.</param>
/// <param name="ETag">A weak entity tag of <paramref name="Body"/> (its SHA-256).</param>
internal sealed record CampaignPage(long CampaignVersion, long RowsVersion, DateTimeOffset ValidUntil, PageBytes Body, string ETag);
