using System.Diagnostics;

namespace Sentiment.Tests.Worker.Support;

/// <summary>Waits for a condition by probing it, and fails with what was awaited and the last value seen.</summary>
public static class Eventually
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> isDone, TimeSpan timeout, string awaited)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (isDone(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:F0} s for {awaited}; the last value seen was {value}.");
            }

            await Task.Delay(ProbeInterval);
        }
    }
}
