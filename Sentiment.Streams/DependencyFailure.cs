using System.Net.Sockets;
using Npgsql;
using StackExchange.Redis;

namespace Sentiment.Streams;

public enum Dependency
{
    Redis,
    Postgres,
}

/// <summary>
/// Tells an outage of Redis or PostgreSQL (wait and retry the same work, keep every message) from a failure caused by
/// one message (record it against that message; after enough deliveries it is dead-lettered).
/// </summary>
public static class DependencyFailure
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        // Only a rejection of the data itself is the message's fault: class 22 (data exception, e.g. invalid JSON
        // or an over-long value) and 23 (integrity constraint). Anything else the server says (shutting down,
        // too many connections, disk full, missing table or database) is the database's state, so it is retried.
        PostgresException postgres => !postgres.SqlState.StartsWith("22", StringComparison.Ordinal)
                                      && !postgres.SqlState.StartsWith("23", StringComparison.Ordinal),
        NpgsqlException => true, // could not connect, connection broken, timeout
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException redis => IsTransientRedisError(redis.Message),
        TimeoutException or SocketException or IOException => true,
        _ => false,
    };

    private static bool IsTransientRedisError(string message) =>
        message.StartsWith("LOADING", StringComparison.Ordinal)
        || message.StartsWith("BUSY ", StringComparison.Ordinal)
        || message.StartsWith("READONLY", StringComparison.Ordinal)
        || message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || message.StartsWith("OOM", StringComparison.Ordinal)
        || message.StartsWith("MISCONF", StringComparison.Ordinal);

    /// <summary>The text recorded with a failed message: the error's kind and message, never the message's text.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        PostgresException postgres => $"PostgreSQL {postgres.SqlState}: {postgres.MessageText}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
