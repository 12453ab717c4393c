using System.Globalization;
using System.Text;

namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// Keeps the start and the end of a command's output in bounded memory, however much it prints, and counts what
/// falls between them, so the cut can be said in a line.
/// </summary>
internal sealed class HeadTailCapture(int maxChars)
{
    private readonly int _headChars = maxChars / 2;
    private readonly int _tailChars = maxChars - (maxChars / 2);
    private readonly StringBuilder _head = new();
    private readonly StringBuilder _tail = new();
    private long _total;
    private long _lines;

    /// <summary>Characters seen in all.</summary>
    public long Total => _total;

    public void Append(ReadOnlySpan<char> text)
    {
        _total += text.Length;
        _lines += text.Count('\n');
        var toHead = Math.Min(text.Length, _headChars - _head.Length);
        if (toHead > 0)
        {
            _head.Append(text[..toHead]);
            text = text[toHead..];
        }

        if (text.Length == 0)
        {
            return;
        }

        _tail.Append(text);
        if (_tail.Length > _tailChars * 2)
        {
            _tail.Remove(0, _tail.Length - _tailChars);
        }
    }

    /// <summary>Characters left out of <see cref="ToString"/>.</summary>
    public long CutChars => Math.Max(0, _total - _head.Length - Math.Min(_tail.Length, _tailChars));

    /// <summary>The start, a line saying how much was cut (when anything was), and the end.</summary>
    public override string ToString()
    {
        var tail = _tail.Length > _tailChars ? _tail.ToString(_tail.Length - _tailChars, _tailChars) : _tail.ToString();
        var cut = CutChars;
        if (cut == 0)
        {
            return _head.ToString() + tail;
        }

        var keptLines = _head.ToString().Count('\n') + tail.Count('\n');
        var cutLines = Math.Max(0, _lines - keptLines);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{_head}\n[… {cut:N0} characters ({cutLines:N0} lines) of {_total:N0} cut from the middle of the output …]\n{tail}");
    }
}
