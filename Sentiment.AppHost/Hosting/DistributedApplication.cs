using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Sentiment.AppHost.ApplicationModel;
using Sentiment.AppHost.Orchestration;
using Sentiment.AppHost.Processes;
using Sentiment.AppHost.Publishing;

namespace Sentiment.AppHost.Hosting;

/// <summary>The built app model: runs it locally, or writes it as an Aspire manifest with <c>--publisher manifest</c>.</summary>
public sealed class DistributedApplication
{
    private readonly IReadOnlyList<IResource> _resources;
    private readonly IConfiguration _configuration;

    internal DistributedApplication(IReadOnlyList<IResource> resources, IConfiguration configuration)
    {
        _resources = resources;
        _configuration = configuration;
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    public void Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>Runs until Ctrl+C or SIGTERM. A setup problem is one line on standard error and exit code 1.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var options = AppHostOptions.Bind(_configuration);
            switch (_configuration["Publishing:Publisher"])
            {
                case null or "":
                    await RunLocallyAsync(options, cancellationToken);
                    break;
                case "manifest":
                    var path = Path.GetFullPath(_configuration["Publishing:OutputPath"] ?? "aspire-manifest.json");
                    await ManifestPublisher.WriteAsync(_resources, path, cancellationToken);
                    await Console.Out.WriteLineAsync($"Wrote the Aspire manifest to {path}");
                    break;
                case var other:
                    throw new AppHostConfigurationException($"Unknown publisher '{other}': the one publisher is 'manifest'.");
            }
        }
        catch (Exception exception) when (exception is MissingDependencyException or PortInUseException
            or AppHostConfigurationException or AppHostBuildException)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            Environment.ExitCode = 1;
        }
    }

    private async Task RunLocallyAsync(AppHostOptions options, CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddConfiguration(_configuration.GetSection("Logging"))
            .AddConsole(console => console.FormatterName = ResourceConsoleFormatter.FormatterName)
            .AddConsoleFormatter<ResourceConsoleFormatter, ConsoleFormatterOptions>());
        var logger = loggerFactory.CreateLogger(ResourceConsoleFormatter.HostCategory);
        var plan = ApplicationPlan.Create(_resources, options, _configuration, new LoggerChildOutput(loggerFactory), logger);

        // Ctrl+C and SIGTERM stop the children in order instead of ending the process at once.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        Environment.ExitCode = await new Orchestrator(plan, logger).RunAsync(stop.Token);
    }
}
