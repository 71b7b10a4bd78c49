using Microsoft.Extensions.Logging;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>Writes logs to the test's output, which xunit shows for failed tests.</summary>
internal sealed class TestLoggers(ITestOutputHelper output) : ILoggerFactory, ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {logLevel} {category.Split('.')[^1]}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; a late message has nowhere to go.
            }
        }
    }
}
