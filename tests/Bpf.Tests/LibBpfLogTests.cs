using Microsoft.Extensions.Logging;
using Xunit;

namespace IoVisor.Bpf.Tests;

public sealed class LibBpfLogTests
{
    [Fact]
    public void Libbpf_messages_arrive_formatted_in_the_logger()
    {
        var logger = new CapturingLogger();
        LibBpfLog.Route(logger);
        using BpfObject obj = BpfObject.Open(TestObjects.PathOf("reject"));

        Assert.Throws<BpfException>(obj.Load);

        // libbpf reports the failure as "prog '%s': ..." — the name proves vsnprintf used the arguments.
        Assert.Contains(logger.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("prog 'xdp_out_of_bounds'"));
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Text)> _messages = [];

        public IReadOnlyList<(LogLevel Level, string Text)> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages)
            {
                _messages.Add((logLevel, formatter(state, exception)));
            }
        }
    }
}
