namespace CodyBatch.Claude.Tools;

/// <summary>How the tools tell text from binary: a NUL byte in the first 8,000 bytes, as git does.</summary>
internal static class TextFiles
{
    public static bool IsBinary(byte[] content) => Array.IndexOf(content, (byte)0, 0, Math.Min(content.Length, 8000)) >= 0;
}
