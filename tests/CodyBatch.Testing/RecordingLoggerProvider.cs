using Microsoft.Extensions.Logging;

namespace CodyBatch.Testing;

/// <summary>Keeps every log line (message and exception) at every level, so a test can search what a host logged.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly Recorded<string> _lines = new();

    /// <summary>Every line logged so far.</summary>
    public IReadOnlyList<string> Lines => _lines.Snapshot();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(string category, Recorded<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
