using System.Collections.Concurrent;
using CodyBatch.Core.Campaigns;
using Microsoft.AspNetCore.Http.Json;

namespace CodyBatch.Campaigns;

/// <summary>
/// The campaign page's answer (<c>GET /api/campaigns/{id}</c>) kept as its JSON bytes and entity tag, per campaign,
/// with what it was built from: the campaign's version, its rows' summed version, and the moment its count of pull
/// requests opened in the past hour next changes. A read while nothing changed costs one campaign read and one sum
/// over the rows' versions; any write to the campaign or to one of its rows, from any process, changes one of them,
/// so the read after it builds the answer again from the store.
/// </summary>
/// <remarks>
/// After each step of a campaign whose page someone has read, the page is built again at once (off the request
/// path), so the polls that follow find it ready instead of building it under the runs' load. While a step of the
/// campaign runs in this process (for at most <see cref="MaxStepLag"/>), its row writes would make every poll build
/// the page again on the request path, each time for a state the step is still changing: the page kept from before
/// the step answers instead (with its own tag), and the step's end builds the new one. A user's action through the
/// API forgets the kept page, so the answer after it shows the action at once.
/// </remarks>
internal sealed class CampaignPages(CampaignService service, IOptions<JsonOptions> json, TimeProvider time) : ICampaignStepObserver
{
    /// <summary>How long a step may keep the page as it was before the step; past it, reads build it from the store again.</summary>
    public static readonly TimeSpan MaxStepLag = TimeSpan.FromSeconds(2);

    // Pages kept at once; past it the cache starts over (a page is rebuilt on its next read).
    private const int Kept = 64;

    private readonly ConcurrentDictionary<string, CampaignPage> _pages = new(StringComparer.Ordinal);

    // Per campaign, the steps running in this process and when the oldest of them began.
    private readonly ConcurrentDictionary<string, (int Steps, DateTimeOffset Since)> _stepping = new(StringComparer.Ordinal);

    /// <summary>The page of campaign <paramref name="id"/> as the store holds it now, or null when there is none.</summary>
    public async Task<CampaignPage?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_stepping.TryGetValue(id, out var step) && now - step.Since < MaxStepLag && _pages.TryGetValue(id, out var before) && now < before.ValidUntil)
        {
            return before;
        }

        if (await service.GetHeadAsync(id, cancellationToken) is not var (campaign, rowsVersion))
        {
            return null;
        }

        if (_pages.TryGetValue(id, out var kept) && kept.CampaignVersion == campaign.Version && kept.RowsVersion == rowsVersion && now < kept.ValidUntil)
        {
            return kept;
        }

        // Rows read after the versions are at least as new as they say: a page is never older than its key.
        var rows = await service.ListRepositoriesAsync(id, cancellationToken);
        // Written as the API writes JSON (the writer takes encoding and layout from the serializer's options).
        var options = json.Value.SerializerOptions;
        var body = new PageBytes();
        await using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions
        {
            Encoder = options.Encoder, Indented = options.WriteIndented, IndentCharacter = options.IndentCharacter,
            IndentSize = options.IndentSize, NewLine = options.NewLine, MaxDepth = options.MaxDepth,
        }))
        {
            JsonSerializer.Serialize(writer, FleetCampaignResponse.From(campaign, rows, now), options);
        }

        var page = new CampaignPage(
            campaign.Version, rowsVersion, HourlyCountChangesAt(rows, now), body, $"W/\"{Convert.ToBase64String(body.Sha256().AsSpan(0, 18))}\"");
        if (_pages.Count >= Kept)
        {
            _pages.Clear();
        }

        _pages[id] = page;
        return page;
    }

    /// <summary>Forgets the kept page of campaign <paramref name="id"/>: the next read builds it from the store.</summary>
    public void Forget(string id) => _pages.TryRemove(id, out _);

    /// <inheritdoc />
    public void Stepping(string campaignId) =>
        _stepping.AddOrUpdate(campaignId, (_, now) => (1, now), (_, step, _) => (step.Steps + 1, step.Since), time.GetUtcNow());

    /// <inheritdoc />
    public async Task SteppedAsync(string campaignId, CancellationToken cancellationToken)
    {
        while (_stepping.TryGetValue(campaignId, out var step)
            && !(step.Steps > 1 ? _stepping.TryUpdate(campaignId, (step.Steps - 1, step.Since), step) : _stepping.TryRemove(KeyValuePair.Create(campaignId, step))))
        {
            // Another step began or ended meanwhile: count again.
        }

        if (_pages.ContainsKey(campaignId))
        {
            await GetAsync(campaignId, cancellationToken);
        }
    }

    // The page counts pull requests opened in the past hour: it changes when the oldest of them leaves the hour.
    private static DateTimeOffset HourlyCountChangesAt(IReadOnlyList<CampaignRepository> rows, DateTimeOffset now) =>
        rows.Where(r => r.PullRequestOpenedAt > now.AddHours(-1)).Select(r => r.PullRequestOpenedAt!.Value.AddHours(1)).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
}
