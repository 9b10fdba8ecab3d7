using System.CommandLine;
using System.Globalization;
using Sentiment.Contracts.Security;
using StackExchange.Redis;

namespace Sentiment.Cli.Access;

/// <summary>
/// <c>sentiment keys create|list|revoke</c>: the ingest API keys kept in Redis (<see cref="IngestKey.StoreKey"/>).
/// The key itself is printed once, at creation; Redis keeps only its SHA-256.
/// </summary>
public static class KeysCommand
{
    public const string RedisVariable = "ConnectionStrings__redis";

    public static Command Create()
    {
        var redis = new Option<string?>("--redis")
        {
            Description = $"Redis connection string (host:port,password=…). Default: the {RedisVariable} environment variable.",
            HelpName = "connection",
            Recursive = true,
        };

        var name = new Option<string>("--name") { Description = "Who or what uses the key, e.g. the connector's name.", Required = true };
        var sources = new Option<string[]>("--source")
        {
            Description = "A source the key may post to; repeat for several. --all-sources allows every source.",
            AllowMultipleArgumentsPerToken = false,
        };
        var allSources = new Option<bool>("--all-sources") { Description = "Allow every source." };
        var create = new Command("create", "Create an ingest key and print it once.") { name, sources, allSources };
        create.SetAction((parse, cancellationToken) => CreateAsync(parse, parse.GetValue(redis), parse.GetValue(name)!, parse.GetValue(sources) ?? [], parse.GetValue(allSources)));

        var list = new Command("list", "List the ingest keys: id, name, sources, created. Keys given in configuration are not listed.");
        list.SetAction((parse, cancellationToken) => ListAsync(parse, parse.GetValue(redis)));

        var id = new Argument<string>("id") { Description = "The key's id, as 'keys list' shows it." };
        var revoke = new Command("revoke", "Revoke an ingest key; ingest refuses it within Ingest:Authentication:StoreRefreshInterval (10 s).") { id };
        revoke.SetAction((parse, cancellationToken) => RevokeAsync(parse, parse.GetValue(redis), parse.GetValue(id)!));

        return new Command("keys", "Create, list and revoke the API keys that post to ingest.") { redis, create, list, revoke };
    }

    private static async Task<int> CreateAsync(ParseResult parse, string? connection, string name, string[] sources, bool allSources)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return Fail(parse, "--name must be 1 to 100 characters.");
        }

        IReadOnlyList<string> allowed = allSources ? [IngestKey.AllSources] : sources;
        if (allSources && sources.Length > 0)
        {
            return Fail(parse, "give either --source or --all-sources, not both.");
        }

        if (IngestKey.CheckSources(allowed) is { } problem)
        {
            return Fail(parse, $"--source: {problem}.");
        }

        using var redis = await ConnectAsync(parse, connection);
        if (redis is null)
        {
            return 1;
        }

        var key = ApiKeys.Generate(ApiKeys.IngestPrefix);
        var record = new IngestKey(Guid.NewGuid().ToString("N")[..12], name, allowed, DateTimeOffset.UtcNow);
        await redis.GetDatabase().HashSetAsync(IngestKey.StoreKey, ApiKeys.Hash(key), record.ToJson());
        var output = parse.InvocationConfiguration.Output;
        output.WriteLine($"id={record.Id} name={record.Name} sources={string.Join(',', record.Sources)}");
        output.WriteLine("The key, shown only now (keep it in a secret store):");
        output.WriteLine(key);
        return 0;
    }

    private static async Task<int> ListAsync(ParseResult parse, string? connection)
    {
        using var redis = await ConnectAsync(parse, connection);
        if (redis is null)
        {
            return 1;
        }

        var keys = (await redis.GetDatabase().HashGetAllAsync(IngestKey.StoreKey))
            .Select(entry => IngestKey.FromJson(entry.Value.ToString()))
            .OfType<IngestKey>()
            .OrderBy(key => key.CreatedAt);
        var output = parse.InvocationConfiguration.Output;
        output.WriteLine("id\tname\tsources\tcreated");
        foreach (var key in keys)
        {
            output.WriteLine($"{key.Id}\t{key.Name}\t{string.Join(',', key.Sources)}\t{key.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(ParseResult parse, string? connection, string id)
    {
        using var redis = await ConnectAsync(parse, connection);
        if (redis is null)
        {
            return 1;
        }

        var database = redis.GetDatabase();
        var match = (await database.HashGetAllAsync(IngestKey.StoreKey))
            .FirstOrDefault(entry => IngestKey.FromJson(entry.Value.ToString())?.Id == id);
        if (match.Name.IsNull || !await database.HashDeleteAsync(IngestKey.StoreKey, match.Name))
        {
            return Fail(parse, $"there is no ingest key with id '{id}'; 'sentiment keys list' shows them.");
        }

        parse.InvocationConfiguration.Output.WriteLine($"revoked {id}");
        return 0;
    }

    private static async Task<ConnectionMultiplexer?> ConnectAsync(ParseResult parse, string? connection)
    {
        connection ??= Environment.GetEnvironmentVariable(RedisVariable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            Fail(parse, $"give --redis <connection string> or set {RedisVariable}; the Aspire dashboard shows the local one under the redis resource.");
            return null;
        }

        try
        {
            var options = ConfigurationOptions.Parse(connection);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 5000;
            return await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (Exception exception) when (exception is RedisException or ArgumentException)
        {
            // The message names the endpoint, never the password.
            Fail(parse, $"cannot reach Redis: {exception.Message}");
            return null;
        }
    }

    private static int Fail(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine($"error: {message}");
        return 1;
    }
}
