using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>
/// Keeps every log line written through it (level, event id, message, exception), to count and read them in
/// tests. Node.Tests and Admin.Tests link this file.
/// </summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly List<LogLine> _lines = [];

    public IReadOnlyList<LogLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Every line as text: "Level EventId Message Exception".</summary>
    public IReadOnlyList<string> Texts => [.. Lines.Select(line => line.ToString())];

    public IReadOnlyList<LogLine> WithEvent(int eventId) => [.. Lines.Where(line => line.EventId == eventId)];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    internal sealed record LogLine(LogLevel Level, int EventId, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {EventId} {Message} {Exception}";
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
            {
                owner._lines.Add(new LogLine(logLevel, eventId.Id, formatter(state, exception), exception));
            }
        }
    }
}
