using System.Collections.Concurrent;

namespace CodyBatch.Aws.Jobs;

/// <summary>
/// Keeps a job item bounded: a prompt or summary past <see cref="JobItems.MaxInlineTextBytes"/> goes to S3 under a key
/// named by its content hash (written once, whatever the number of later writes), the item keeps a preview; error,
/// notice and activity sentences are cut at <see cref="JobItems.MaxSentenceChars"/>. Reading puts the full texts back.
/// </summary>
internal sealed class TextOffload(IArtifactStore? store)
{
    private const string PromptField = "prompt";
    private readonly ConcurrentDictionary<string, byte> _written = new(StringComparer.Ordinal);

    /// <summary>The bounded job and the S3 keys of its long texts, after storing those texts.</summary>
    public async Task<(Job Bounded, Dictionary<string, string> Texts)> BoundAsync(Job job, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var prompt = await OffloadAsync(job.Id, PromptField, "prompt", job.Prompt, texts, cancellationToken);
        var runs = new List<Core.Runs.RepositoryRun>(job.Runs.Count);
        foreach (var run in job.Runs)
        {
            var summary = run.Summary is null
                ? null
                : await OffloadAsync(job.Id, $"summary:{run.Repository}", $"{run.Repository}/summary", run.Summary, texts, cancellationToken);
            runs.Add(run with
            {
                Summary = summary,
                Error = Cut(run.Error),
                Notice = Cut(run.Notice),
                Activity = Cut(run.Activity),
            });
        }

        return (job with { Prompt = prompt, Runs = runs }, texts);
    }

    /// <summary>The job with its long texts read back from S3 (a text that is gone keeps its preview).</summary>
    public async Task<Job> RestoreAsync(Job bounded, IReadOnlyDictionary<string, string> texts, CancellationToken cancellationToken)
    {
        if (texts.Count == 0 || store is null)
        {
            return bounded;
        }

        var prompt = texts.TryGetValue(PromptField, out var promptKey) ? await ReadAsync(promptKey, cancellationToken) ?? bounded.Prompt : bounded.Prompt;
        var runs = new List<Core.Runs.RepositoryRun>(bounded.Runs.Count);
        foreach (var run in bounded.Runs)
        {
            runs.Add(texts.TryGetValue($"summary:{run.Repository}", out var key) && run.Summary is not null
                ? run with { Summary = await ReadAsync(key, cancellationToken) ?? run.Summary }
                : run);
        }

        return bounded with { Prompt = prompt, Runs = runs };
    }

    private async Task<string> OffloadAsync(
        string jobId, string field, string name, string text, Dictionary<string, string> texts, CancellationToken cancellationToken)
    {
        if (store is null || Encoding.UTF8.GetByteCount(text) <= JobItems.MaxInlineTextBytes)
        {
            return text;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var key = $"jobs/{jobId}/texts/{name}-{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}.txt";
        if (!_written.ContainsKey(key))
        {
            await store.PutAsync(key, new MemoryStream(bytes), "text/plain; charset=utf-8", cancellationToken);
            _written.TryAdd(key, 0);
        }

        texts[field] = key;
        return Preview(text);
    }

    private async Task<string?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        await using var stream = await store!.OpenReadAsync(key, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static string Preview(string text)
    {
        var end = JobItems.PreviewChars;
        if (char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end] + "…";
    }

    private static string? Cut(string? sentence)
    {
        if (sentence is null || sentence.Length <= JobItems.MaxSentenceChars)
        {
            return sentence;
        }

        var end = JobItems.MaxSentenceChars - 1;
        if (char.IsHighSurrogate(sentence[end - 1]))
        {
            end--;
        }

        return sentence[..end] + "…";
    }
}
