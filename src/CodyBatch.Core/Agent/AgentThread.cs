using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodyBatch.Core.Agent;

/// <summary>
/// The conversation of one run, recorded as it happens. Stored as the run's thread artifact:
/// <c>{ "repository", "model", "entries": [ { "type", "at", ... } ] }</c>. Safe to append from any thread;
/// <paramref name="added"/> is called after each entry (the engine stores the thread as it grows).
/// </summary>
public sealed class AgentThread(string repository, string model, TimeProvider time, Action? added = null)
{
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _entries = [];

    /// <summary>Number of recorded entries.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Records one entry: <paramref name="type"/> (e.g. <c>system</c>, <c>request</c>, <c>response</c>, <c>tool_result</c>, <c>error</c>) plus its fields.</summary>
    public void Add(string type, JsonObject fields)
    {
        var entry = new JsonObject { ["type"] = type, ["at"] = time.GetUtcNow() };
        foreach (var (key, value) in fields.ToArray())
        {
            fields.Remove(key);
            entry[key] = value;
        }

        lock (_gate)
        {
            _entries.Add(entry);
        }

        added?.Invoke();
    }

    /// <summary>The thread as JSON, with every occurrence of <paramref name="redactor"/>'s secrets replaced.</summary>
    public byte[] ToJson(SecretRedactor redactor) => ToJson(redactor, out _);

    /// <summary>The thread as JSON (secrets replaced), and how many entries it holds.</summary>
    public byte[] ToJson(SecretRedactor redactor, out int count)
    {
        JsonArray entries;
        lock (_gate)
        {
            entries = [.. _entries.Select(e => e.DeepClone())];
        }

        count = entries.Count;
        var document = new JsonObject { ["repository"] = repository, ["model"] = model, ["entries"] = entries };
        var json = document.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        return System.Text.Encoding.UTF8.GetBytes(redactor.Redact(json));
    }
}
