namespace Sentiment.AppHost.Processes;

/// <summary>The POSIX signal that asks a child to stop. Values are the Linux signal numbers.</summary>
public enum StopSignal
{
    /// <summary>SIGINT: PostgreSQL's "fast shutdown" (roll back sessions, checkpoint, exit).</summary>
    Interrupt = 2,

    /// <summary>SIGTERM: graceful shutdown for redis-server and .NET hosts. PostgreSQL would wait for every session.</summary>
    Terminate = 15,
}
