namespace CodyBatch.Core.Checks;

/// <summary>Cuts command output to its end, where test runners print their verdict.</summary>
public static class OutputTail
{
    /// <summary>The last <paramref name="maxChars"/> characters of <paramref name="text"/>, with a note when cut.</summary>
    public static string Last(string text, int maxChars) =>
        text.Length <= maxChars ? text : $"[… {text.Length - maxChars:N0} characters cut]\n" + text[^maxChars..];
}
