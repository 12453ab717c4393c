namespace CodyBatch.Core.Campaigns;

/// <summary>Told when <see cref="CampaignDriver"/> has finished a step of a campaign and stored what it found.</summary>
public interface ICampaignStepObserver
{
    /// <summary>Campaign <paramref name="campaignId"/> was stepped; its record and rows are as the step left them.</summary>
    Task SteppedAsync(string campaignId, CancellationToken cancellationToken);
}
