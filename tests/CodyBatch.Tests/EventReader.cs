namespace CodyBatch.Tests;

/// <summary>Reads a server-sent event stream (<c>GET /api/jobs/{id}/events</c>) one event at a time.</summary>
internal sealed class EventReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    public List<(string Name, JsonNode Data)> Seen { get; } = [];

    public async Task<JsonNode> NextAsync(string name, Func<JsonNode, bool> match)
    {
        while (true)
        {
            var (got, data) = await ReadAsync();
            if (got == name && match(data))
            {
                return data;
            }
        }
    }

    public async Task<(string Name, JsonNode Data)> ReadAsync() =>
        await ReadOrEndAsync() ?? throw new InvalidOperationException("The stream ended.");

    public async Task<(string Name, JsonNode Data)?> ReadOrEndAsync()
    {
        using var timeout = new CancellationTokenSource(HangGuard.Limit);
        string? name = null;
        string? data = null;
        while (await ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && name is not null && data is not null)
            {
                Seen.Add((name, JsonNode.Parse(data)!));
                return Seen[^1];
            }
        }

        return null;
    }

    public void Dispose() => _reader.Dispose();

    private async Task<string?> ReadLineAsync(CancellationToken timeout)
    {
        try
        {
            return await _reader.ReadLineAsync(timeout);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"The event stream sent nothing for {HangGuard.Limit.TotalSeconds:0} s.");
        }
    }
}
