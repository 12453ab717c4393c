using System.Globalization;
using System.Text;

namespace CodyBatch.Core.Agent;

/// <summary>
/// Text an agent or a repository wrote, made safe to print on a terminal or in a log: control characters (ESC, BEL,
/// C1 controls, …), line and paragraph separators and bidi overrides become visible <c>\u001b</c>-style escapes, so the
/// text cannot move the cursor, recolour, retitle or reorder what shows it.
/// </summary>
public static class InertText
{
    /// <summary><paramref name="text"/> with every unsafe character as a visible escape; the same string when there is none.</summary>
    public static string Of(string text)
    {
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var inert = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                inert.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                inert.Append(c);
            }
        }

        return inert.ToString();
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
}
