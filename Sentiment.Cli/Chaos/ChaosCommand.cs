using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sentiment.Cli.Load;

namespace Sentiment.Cli.Chaos;

/// <summary>
/// <c>sentiment chaos</c>: sends a load to a deployment, runs a fault command of the user's mid-load (kill -9 a worker,
/// Redis, PostgreSQL, ingest; a kubectl delete pod), and counts what was accepted against what was stored. Exit code 0
/// when every accepted message was stored exactly once, 2 when any was lost or duplicated, 1 for anything else that
/// went wrong (a bad option, a refused key, a fault command that failed).
/// </summary>
public static class ChaosCommand
{
    public const string IngestKeyVariable = "SENTIMENT_INGEST_KEY";
    public const string ReadKeyVariable = "SENTIMENT_READ_KEY";
    public const int LossExitCode = 2;

    public static Command Create()
    {
        var ingest = new Option<string>("--ingest") { HelpName = "url", Description = "The ingest API's address.", DefaultValueFactory = _ => "http://localhost:5080" };
        var dashboard = new Option<string>("--dashboard") { HelpName = "url", Description = "The dashboard's address (its read API counts what was stored).", DefaultValueFactory = _ => "http://localhost:5081" };
        var ingestKey = new Option<string?>("--ingest-key") { HelpName = "key", Description = $"An ingest key allowed every source (each run posts as a source of its own, chaos-<run id>). Default: {IngestKeyVariable}, else ingest-api-key from --secrets." };
        var readKey = new Option<string?>("--read-key") { HelpName = "key", Description = $"A dashboard key with the viewer role. Default: {ReadKeyVariable}, else read-api-key from --secrets." };
        var secrets = new Option<string>("--secrets") { HelpName = "file", Description = "The AppHost's secrets.json, read for the keys not given otherwise.", DefaultValueFactory = _ => Path.Combine(".data", "secrets.json") };
        var messages = new Option<int>("--messages") { HelpName = "count", Description = "Messages to send.", DefaultValueFactory = _ => 20_000 };
        var batchSize = new Option<int>("--batch-size") { HelpName = "count", Description = "Messages per request (at most 1,000).", DefaultValueFactory = _ => 100 };
        var senders = new Option<int>("--senders") { HelpName = "count", Description = "Concurrent requests.", DefaultValueFactory = _ => 4 };
        var rate = new Option<double>("--rate") { HelpName = "per-second", Description = "Messages per second to aim at; 0 sends as fast as ingest accepts.", DefaultValueFactory = _ => 2_000 };
        var fault = new Option<string?>("--fault") { HelpName = "command", Description = "Shell command run once mid-load, e.g. \"pkill -9 -f Sentiment.Worker\". Without it, the run only counts." };
        var faultAfter = new Option<int?>("--fault-after") { HelpName = "count", Description = "Run the fault once this many messages are accepted. Default: a third of --messages." };
        var timeout = new Option<double>("--timeout") { HelpName = "seconds", Description = "Seconds to wait, after the last message is accepted, for all of them to be stored.", DefaultValueFactory = _ => 300 };

        var command = new Command(
            "chaos",
            "Send a load to a deployment, run a fault command mid-load, and count accepted against stored. " +
            "The last line is: accepted=… stored=… lost=… duplicated=… unexpected=… refused_503=… rate_limited_429=… failed=… longest_outage_s=… send_s=… drain_s=…. " +
            "Exit code 0: every accepted message stored once; 2: some lost or duplicated; 1: any other failure.")
        {
            ingest, dashboard, ingestKey, readKey, secrets, messages, batchSize, senders, rate, fault, faultAfter, timeout,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var plan = new LoadPlan
            {
                Messages = parse.GetValue(messages),
                BatchSize = parse.GetValue(batchSize),
                Senders = parse.GetValue(senders),
                Rate = parse.GetValue(rate),
                StoreTimeout = parse.GetValue(timeout) is var seconds and > 0 and <= 86_400 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero,
                SourcePrefix = "chaos",
            };
            return RunAsync(parse, plan, new Target(
                parse.GetValue(ingest)!, parse.GetValue(dashboard)!, parse.GetValue(ingestKey), parse.GetValue(readKey), parse.GetValue(secrets)!),
                parse.GetValue(fault), parse.GetValue(faultAfter), cancellationToken);
        });
        return command;
    }

    private sealed record Target(string Ingest, string Dashboard, string? IngestKey, string? ReadKey, string Secrets);

    private static async Task<int> RunAsync(ParseResult parse, LoadPlan plan, Target target, string? faultLine, int? faultAfter, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        if (plan.Problem() is { } problem)
        {
            return Fail(parse, problem + ".");
        }

        if (faultAfter is < 0 || faultAfter > plan.Messages)
        {
            return Fail(parse, $"--fault-after must be from 0 to --messages ({plan.Messages}).");
        }

        if (faultLine is not null && string.IsNullOrWhiteSpace(faultLine))
        {
            return Fail(parse, "--fault must be a command line, e.g. \"pkill -9 -f Sentiment.Worker\".");
        }

        if (Address(parse, "--ingest", target.Ingest) is not { } ingest || Address(parse, "--dashboard", target.Dashboard) is not { } dashboard)
        {
            return 1;
        }

        var ingestKey = Key(parse, target.IngestKey, "--ingest-key", IngestKeyVariable, target.Secrets, "ingest-api-key", out var ingestKeyFrom);
        var readKey = Key(parse, target.ReadKey, "--read-key", ReadKeyVariable, target.Secrets, "read-api-key", out var readKeyFrom);
        if (ingestKey is null || readKey is null)
        {
            return 1;
        }

        var faultCommand = faultLine is null ? null : new FaultCommand(faultLine, output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chaos run {plan.RunId}: {plan.Messages} messages as source {plan.Source} to {ingest}, {plan.Senders} senders, batches of {plan.BatchSize}, {(plan.Rate > 0 ? $"{plan.Rate:0} messages/s" : "as fast as accepted")}"));
        output.WriteLine($"ingest key from {ingestKeyFrom}, read key from {readKeyFrom}; counting through {dashboard}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var run = new LoadRun(http, ingest, ingestKey, dashboard, readKey, plan, faultCommand is null ? null : faultCommand.RunAsync, faultAfter)
        {
            Log = output,
        };
        if (faultCommand is not null)
        {
            output.WriteLine($"the fault runs once {run.FaultAfter} messages are accepted");
        }

        DeliveryReport report;
        try
        {
            report = await run.RunAsync(cancellationToken);
        }
        catch (LoadRefusedException refused)
        {
            return Fail(parse, refused.Message);
        }

        if (faultCommand is { ExitCode: not 0 })
        {
            parse.InvocationConfiguration.Error.WriteLine($"warning: the fault command exited with {faultCommand.ExitCode}, so the run may not have been under the fault.");
        }

        output.WriteLine(report.IsExact ? "every accepted message was stored exactly once" : "NOT every accepted message was stored exactly once");
        output.WriteLine(report.ToString());
        return !report.IsExact ? LossExitCode : faultCommand is { ExitCode: not 0 } ? 1 : 0;
    }

    private static Uri? Address(ParseResult parse, string option, string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            // A trailing slash makes relative paths (api/ingest) land under any path prefix the address has.
            return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        }

        Fail(parse, $"{option} must be an http:// or https:// address, e.g. http://localhost:5080, not '{value}'.");
        return null;
    }

    /// <summary>A key from its option, else its environment variable, else the secrets file; says where it came from, never what it is.</summary>
    private static string? Key(ParseResult parse, string? given, string option, string variable, string secretsPath, string secretName, out string from)
    {
        from = option;
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        from = variable;
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        from = $"{secretsPath} ({secretName})";
        try
        {
            var secrets = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(secretsPath));
            if (secrets?.GetValueOrDefault(secretName) is { Length: > 0 } fromFile)
            {
                return fromFile;
            }

            Fail(parse, $"{secretsPath} has no '{secretName}'; give {option} or set {variable}.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            Fail(parse, $"give {option}, set {variable}, or point --secrets at the AppHost's secrets.json ({secretsPath}: {exception.Message})");
        }

        return null;
    }

    private static int Fail(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine($"error: {message}");
        return 1;
    }
}
