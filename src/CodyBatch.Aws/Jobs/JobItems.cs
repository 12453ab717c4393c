using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using CodyBatch.Core.Runs;

namespace CodyBatch.Aws.Jobs;

/// <summary>
/// How a job is laid out as one DynamoDB item, and the index keys that find it. The layout is what the dispatch
/// pipe's filter patterns and the reconciler read, so it lives in one place:
/// <list type="bullet">
/// <item><c>pk = JOB#id</c>, <c>sk = JOB</c>, <c>id</c>, <c>version</c> (optimistic concurrency), <c>touchedAt</c> (last write);</item>
/// <item><c>data</c>: the job as JSON with non-ASCII text kept as UTF-8 (not escaped), text fields bounded and long
/// texts (prompt, summaries) replaced by a preview and an S3 key in <c>texts</c>;</item>
/// <item><c>gsi1pk = JOBS#shard</c> / <c>gsi1sk = id</c>: newest first across <see cref="Shards"/> shards;</item>
/// <item><c>gsi2pk = STATUS#status#shard</c> / <c>gsi2sk = id</c>: by status, also sharded;</item>
/// <item><c>openShard = OPEN#shard</c> / <c>gsi3sk = id</c>: only while a run is unfinished (a sparse index);</item>
/// <item><c>pulls = PULLS#shard</c> / <c>gsi4sk = id</c>: only while a run's pull request is open (a sparse index, for the refresh and webhooks), sharded like the others;</item>
/// <item><c>search</c>: lower-cased repository names, title and prompt, cut at <see cref="SearchChars"/>, with
/// <see cref="AuthorMarker"/> and <see cref="FailedMarker"/> in front; projected into the list indexes.</item>
/// </list>
/// Index keys change only when a job is created, changes status or opens/closes, so a lease renewal writes no index.
/// </summary>
public static class JobItems
{
    /// <summary>
    /// The <c>pulls</c> value that items written before the index was sharded carry; still read, so no followed pull
    /// request is lost, until the item's next write moves it to its shard (<see cref="PullsPartition"/>).
    /// </summary>
    public const string LegacyOpenPulls = "OPEN";

    /// <summary>How many partitions each index spreads its writes over (DynamoDB's write-sharding pattern).</summary>
    public const int Shards = 8;

    /// <summary>A prompt or summary longer than this (UTF-8 bytes) is stored in S3, with a preview in the item.</summary>
    public const int MaxInlineTextBytes = 8 * 1024;

    /// <summary>Characters of a long text kept in the item as its preview.</summary>
    public const int PreviewChars = 2_000;

    /// <summary>Most characters of an error, notice or activity sentence kept.</summary>
    public const int MaxSentenceChars = 2_000;

    /// <summary>Characters of title and prompt that text search looks at.</summary>
    public const int SearchChars = 2_000;

    /// <summary>
    /// Put in front of <c>search</c> when a job has a failed run: the list's "failed" filter (any failed
    /// run, whatever the job's status) is a filter on it. Control characters, so no typed text matches it.
    /// </summary>
    public const string FailedMarker = "\u0001failed\u0001";

    /// <summary>
    /// The author in <c>search</c>, between control characters so no typed text and no other author's name
    /// matches it: the list's author filter is a filter on it.
    /// </summary>
    public static string AuthorMarker(string author) => $"\u0002author:{author.Trim().ToLowerInvariant()}\u0002";

    /// <summary>DynamoDB's item limit is 400 KB; writes are refused a little before it, with room for attribute names.</summary>
    public const int DefaultMaxItemBytes = 380 * 1024;

    /// <summary>The JSON form of the job in <c>data</c>: UTF-8 text unescaped (an escaped non-ASCII character takes six bytes).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The shard of a job: a stable hash of its id.</summary>
    public static int Shard(string jobId) => SHA256.HashData(Encoding.UTF8.GetBytes(jobId))[0] % Shards;

    /// <summary>The primary key of a job.</summary>
    public static Dictionary<string, AttributeValue> Key(string jobId) => new()
    {
        ["pk"] = new() { S = $"JOB#{jobId}" },
        ["sk"] = new() { S = "JOB" },
    };

    /// <summary>The list partition of one shard.</summary>
    public static string ListPartition(int shard) => $"JOBS#{shard}";

    /// <summary>The status partition of one shard.</summary>
    public static string StatusPartition(JobStatus status, int shard) => $"STATUS#{status.ToString().ToLowerInvariant()}#{shard}";

    /// <summary>The open-pull-requests partition of one shard.</summary>
    public static string PullsPartition(int shard) => $"PULLS#{shard}";

    /// <summary>The open-jobs partition of one shard.</summary>
    public static string OpenPartition(int shard) => $"OPEN#{shard}";

    /// <summary>
    /// The item for <paramref name="bounded"/> (a job whose long texts were already replaced by previews) with the
    /// S3 keys of those texts, at <paramref name="version"/>, written at <paramref name="touchedAt"/>.
    /// </summary>
    public static Dictionary<string, AttributeValue> ToItem(Job bounded, IReadOnlyDictionary<string, string> texts, long version, DateTimeOffset touchedAt)
    {
        var item = Key(bounded.Id);
        var shard = Shard(bounded.Id);
        item["id"] = new() { S = bounded.Id };
        item["gsi1pk"] = new() { S = ListPartition(shard) };
        item["gsi1sk"] = new() { S = bounded.Id };
        item["gsi2pk"] = new() { S = StatusPartition(bounded.Status, shard) };
        item["gsi2sk"] = new() { S = bounded.Id };
        item["version"] = new() { N = version.ToString(CultureInfo.InvariantCulture) };
        item["touchedAt"] = new() { S = touchedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) };
        item["search"] = new() { S = SearchText(bounded) };
        item["data"] = new() { S = JsonSerializer.Serialize(bounded with { Version = 0 }, Json) };
        if (texts.Count > 0)
        {
            item["texts"] = new() { M = texts.ToDictionary(t => t.Key, t => new AttributeValue { S = t.Value }) };
        }

        if (bounded.Runs.Any(r => !r.Status.IsFinal()))
        {
            item["openShard"] = new() { S = OpenPartition(shard) };
            item["gsi3sk"] = new() { S = bounded.Id };
        }

        if (bounded.Runs.Any(r => r.PullRequest?.State == Core.PullRequests.PullRequestState.Open))
        {
            item["pulls"] = new() { S = PullsPartition(shard) };
            item["gsi4sk"] = new() { S = bounded.Id };
        }

        return item;
    }

    /// <summary>The bounded job in an item, its version set, and the S3 keys of its long texts.</summary>
    public static (Job Bounded, IReadOnlyDictionary<string, string> Texts) FromItem(Dictionary<string, AttributeValue> item)
    {
        var job = JsonSerializer.Deserialize<Job>(item["data"].S, Json)! with
        {
            Version = long.Parse(item["version"].N, CultureInfo.InvariantCulture),
        };
        var texts = item.TryGetValue("texts", out var map) && map.M is { } m
            ? m.ToDictionary(t => t.Key, t => t.Value.S)
            : new Dictionary<string, string>();
        return (job, texts);
    }

    /// <summary>The item's size as DynamoDB counts it: attribute names and values in UTF-8 bytes (numbers approximated).</summary>
    public static int SizeOf(Dictionary<string, AttributeValue> item) => item.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + SizeOf(a.Value));

    private static int SizeOf(AttributeValue value) =>
        value.S is not null ? Encoding.UTF8.GetByteCount(value.S)
        : value.N is not null ? 21
        : value.M is not null ? 3 + value.M.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + 1 + SizeOf(a.Value))
        : value.L is not null ? 3 + value.L.Sum(v => 1 + SizeOf(v))
        : 1;

    // Repository names first, so the cut never drops them; the failed marker in front when any run failed.
    private static string SearchText(Job job)
    {
        var text = $"{string.Join('\n', job.Runs.Select(r => r.Repository))}\n{job.Title}\n{job.Prompt}".ToLowerInvariant();
        text = text.Length <= SearchChars ? text : text[..SearchChars];
        text = job.Author is { } author ? AuthorMarker(author) + text : text;
        return job.Status == JobStatus.Failed || job.Runs.Any(r => r.Status == RunStatus.Failed) ? FailedMarker + text : text;
    }
}
