using Ttp.Cli.Logging;

namespace Ttp.Cli.Tests.Logging;

/// <summary><see cref="CliProgress"/>: a line at the first report, then at most one a second, and the last line.</summary>
public sealed class CliProgressTests
{
    [Fact]
    public void Report_WithinASecond_OneLineThenAnotherOnceASecondPassed()
    {
        var clock = new SteppedClock();
        using var stderr = new StringWriter();
        var progress = new CliProgress(stderr, "audit verify", "records verified", clock);

        progress.Report(1024L);
        clock.Advance(TimeSpan.FromMilliseconds(400));
        progress.Report(2048L);
        clock.Advance(TimeSpan.FromMilliseconds(600));
        progress.Report(3072L);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        progress.Done(3500);

        Assert.Equal(
            [
                "ttpctl: audit verify: 1024 records verified so far",
                "ttpctl: audit verify: 3072 records verified so far",
                "ttpctl: audit verify: 3500 records verified, done in 1.5 s",
            ],
            stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A clock that moves only when told (its timestamps in ticks).</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
