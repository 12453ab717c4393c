namespace CodyBatch.Core.Agent;

/// <summary>
/// Replaces known secret values (API keys, tokens) with <c>[redacted]</c> in text that leaves
/// the process: run errors, threads, logs.
/// </summary>
public sealed class SecretRedactor
{
    private readonly string[] _secrets;

    /// <summary>Redacts each of <paramref name="secrets"/> that is at least 8 characters long.</summary>
    public SecretRedactor(IEnumerable<string?> secrets) =>
        _secrets = [.. secrets.Where(s => s is { Length: >= 8 }).Select(s => s!).Distinct().OrderByDescending(s => s.Length)];

    /// <summary>A redactor that knows no secret.</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary><paramref name="text"/> with every secret replaced.</summary>
    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }

        return text;
    }
}
