using System.Text;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>Keeps the end of a stream of output, so a command that prints without end cannot fill memory.</summary>
internal sealed class OutputTailBuffer(int keepChars)
{
    private readonly StringBuilder _text = new();
    private long _dropped;

    public async Task ReadAsync(TextReader reader, CancellationToken cancellationToken)
    {
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            lock (_text)
            {
                _text.Append(buffer, 0, read);
                if (_text.Length > keepChars * 2)
                {
                    var drop = _text.Length - keepChars;
                    _dropped += drop;
                    _text.Remove(0, drop);
                }
            }
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            var text = _text.Length > keepChars ? _text.ToString(_text.Length - keepChars, keepChars) : _text.ToString();
            var dropped = _dropped + Math.Max(0, _text.Length - keepChars);
            return dropped > 0 ? $"[… {dropped:N0} characters cut]\n{text}" : text;
        }
    }
}
