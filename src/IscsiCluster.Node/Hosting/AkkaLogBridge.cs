using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace IscsiCluster.Node.Hosting;

/// <summary>
/// Akka.NET's logger for a node: every log event of the actor system goes to the node's own
/// <see cref="ILoggerFactory"/> (from Akka.Hosting's <see cref="LoggerFactorySetup"/>), under the
/// category of the class that logged it, as a plain message naming its source, so Akka's lines read
/// like the node's. Akka's own default logger and Akka.Hosting's adapter prefix every message with a
/// second level, timestamp and thread of their own, and the adapter logs errors as warnings.
/// </summary>
internal sealed class AkkaLogBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly Dictionary<Type, ILogger> _loggers = [];
    private readonly ILoggerFactory _loggerFactory;

    public AkkaLogBridge()
    {
        var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
        _loggerFactory = setup.HasValue
            ? setup.Value.LoggerFactory
            : throw new InvalidOperationException($"{nameof(AkkaLogBridge)} needs a {nameof(LoggerFactorySetup)} in the actor system's setup");
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent logEvent:
                Write(logEvent);
                return true;
            default:
                return false;
        }
    }

    private void Write(LogEvent logEvent)
    {
        if (!_loggers.TryGetValue(logEvent.LogClass, out var logger))
        {
            // Akka logs from plain strings under a placeholder class: those lines go under "Akka".
            var category = logEvent.LogClass == typeof(DummyClassForStringSources) ? "Akka" : logEvent.LogClass.FullName ?? logEvent.LogClass.Name;
            logger = _loggerFactory.CreateLogger(category);
            _loggers[logEvent.LogClass] = logger;
        }

        var level = ToLogLevel(logEvent.LogLevel());
        if (!logger.IsEnabled(level))
        {
            return;
        }

        // LogMessage.ToString() applies the format; a format that throws must not lose the event.
        string text;
        try
        {
            text = logEvent.Message?.ToString() ?? string.Empty;
        }
        catch (FormatException e)
        {
            text = $"(unformattable log message: {e.Message})";
        }

#pragma warning disable CA1848, CA2254 // The text is Akka's, already formatted: there is no template to cache.
        logger.Log(level, logEvent.Cause, "{Source}: {Message}", logEvent.LogSource, text);
#pragma warning restore CA1848, CA2254
    }

    private static LogLevel ToLogLevel(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
