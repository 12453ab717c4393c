namespace CodyBatch.Core.Campaigns;

/// <summary>Told when <see cref="CampaignDriver"/> starts a step of a campaign and when it has finished it and stored what it found.</summary>
public interface ICampaignStepObserver
{
    /// <summary>
    /// A step of campaign <paramref name="campaignId"/> begins in this process (it holds the campaign's lease); its
    /// record and rows change until <see cref="SteppedAsync"/>, which always follows.
    /// </summary>
    void Stepping(string campaignId)
    {
    }

    /// <summary>Campaign <paramref name="campaignId"/> was stepped; its record and rows are as the step left them.</summary>
    Task SteppedAsync(string campaignId, CancellationToken cancellationToken);
}
