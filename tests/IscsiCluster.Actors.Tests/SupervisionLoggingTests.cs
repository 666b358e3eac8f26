using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Actors.Tests;

public sealed class SupervisionLoggingTests : TestKit.TestKit
{
    private readonly CapturingLoggerFactory _logs;

    public SupervisionLoggingTests()
        : this(new CapturingLoggerFactory())
    {
    }

    private SupervisionLoggingTests(CapturingLoggerFactory logs)
        : base("logging", logs)
    {
        _logs = logs;
    }

    [Fact]
    public async Task AFailureIsLoggedAsAnErrorThroughTheLoggerFactory()
    {
        var actor = Sys.ActorOf(Props.Create(() => new CounterActor(TestActor)), "failing");
        await ExpectMsgAsync("started:failing");

        actor.Tell("boom");

        await ExpectMsgAsync("stopped:failing");
        await ExpectMsgAsync("started:failing");
        var entry = Assert.Single(_logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Equal(1, entry.EventId.Id);
        Assert.Equal("boom", entry.Exception?.Message);
        Assert.Contains("/user/failing", entry.Message, StringComparison.Ordinal);
    }

    private sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception);

    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(Entries);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), exception));
    }
}
