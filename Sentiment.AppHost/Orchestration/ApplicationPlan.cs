using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sentiment.AppHost.ApplicationModel;
using Sentiment.AppHost.Hosting;
using Sentiment.AppHost.Infrastructure;
using Sentiment.AppHost.Processes;

namespace Sentiment.AppHost.Orchestration;

/// <summary>
/// The app model turned into runners, with every port, password, path and variable resolved. Everything that can be
/// wrong (a missing program or build, a busy port, a bad setting) fails here, before any process starts.
/// </summary>
internal sealed class ApplicationPlan
{
    private readonly Dictionary<IResource, ResourceRunner> _runners = [];
    private readonly Dictionary<IResource, string> _connectionStrings = [];
    private readonly Dictionary<ProjectResource, IReadOnlyList<int>> _ports = [];
    private readonly AppHostOptions _options;
    private readonly IConfiguration _configuration;
    private readonly IChildOutput _output;
    private readonly ILogger _logger;
    private LocalSecrets? _secrets;

    private ApplicationPlan(AppHostOptions options, IConfiguration configuration, IChildOutput output, ILogger logger)
    {
        _options = options;
        _configuration = configuration;
        _output = output;
        _logger = logger;
    }

    public IReadOnlyCollection<ResourceRunner> Runners => _runners.Values;

    /// <summary>The URLs of the projects marked external, for the ready message.</summary>
    public IEnumerable<(string Name, string Url)> ExternalUrls => _ports
        .Where(entry => entry.Key.IsExternal)
        .SelectMany(entry => entry.Value.Select(port => (entry.Key.Name, Url(port))));

    public static ApplicationPlan Create(
        IReadOnlyList<IResource> resources, AppHostOptions options, IConfiguration configuration, IChildOutput output, ILogger logger)
    {
        CheckSettingsNameResources(resources, options);
        var plan = new ApplicationPlan(options, configuration, output, logger);
        plan.ResetDataIfAsked(resources);
        foreach (var resource in resources.OfType<RedisResource>())
        {
            plan.PlanRedis(resource);
        }

        foreach (var server in resources.OfType<PostgresServerResource>())
        {
            plan.PlanPostgres(server);
        }

        foreach (var project in resources.OfType<ProjectResource>())
        {
            plan.AssignPorts(project);
        }

        var dotnet = DotNetHost.Find();
        foreach (var project in resources.OfType<ProjectResource>())
        {
            plan.PlanProject(project, dotnet);
        }

        foreach (var project in resources.OfType<ProjectResource>())
        {
            plan._runners[project].WaitsFor.AddRange(project.WaitsFor.Where(plan._runners.ContainsKey).Select(w => plan._runners[w]));
        }

        return plan;
    }

    /// <summary>A misspelt name in AppHost:Ports or AppHost:Replicas would otherwise be ignored without a word.</summary>
    private static void CheckSettingsNameResources(IReadOnlyList<IResource> resources, AppHostOptions options)
    {
        var names = resources.Select(resource => resource.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var projects = resources.OfType<ProjectResource>().Select(project => project.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (options.Ports.Keys.FirstOrDefault(name => !names.Contains(name)) is { } unknownPort)
        {
            throw new AppHostConfigurationException(
                $"{AppHostOptions.PortSetting(unknownPort)} names no resource; the resources are {string.Join(", ", resources.Select(r => r.Name))}.");
        }

        if (options.Replicas.Keys.FirstOrDefault(name => !projects.Contains(name)) is { } unknownReplicas)
        {
            throw new AppHostConfigurationException(
                $"{AppHostOptions.ReplicasSetting(unknownReplicas)} names no project; the projects are {string.Join(", ", resources.OfType<ProjectResource>().Select(p => p.Name))}.");
        }
    }

    private static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    private LocalSecrets Secrets => _secrets ??= LocalSecrets.Load(_options.DataRootPath);

    private void ResetDataIfAsked(IReadOnlyList<IResource> resources)
    {
        if (!_options.ResetData)
        {
            return;
        }

        // Only what the host itself writes there: the data root may be a folder that holds other things.
        foreach (var server in resources.Where(r => r is RedisResource or PostgresServerResource))
        {
            var directory = Path.Combine(_options.DataRootPath, server.Name);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        File.Delete(Path.Combine(_options.DataRootPath, LocalSecrets.FileName));
        _logger.LogInformation("Deleted the data and generated passwords in {DataRoot}", _options.DataRootPath);
    }

    private void PlanRedis(RedisResource redis)
    {
        if (_configuration.GetConnectionString(redis.Name) is { Length: > 0 } external)
        {
            _connectionStrings[redis] = external;
            _runners[redis] = new ExternalRunner(redis, ct => RedisServer.PingAsync(external, ct), _logger);
            return;
        }

        var server = new RedisServer(redis.Name, new RedisServerOptions
        {
            DataDirectory = Path.Combine(_options.DataRootPath, redis.Name),
            Port = ReservePort(redis.Name, redis.Port),
            Password = Secrets.GetOrCreate(redis.PasswordParameter),
        }, _output)
        {
            StopTimeout = _options.StopTimeout,
        };
        _connectionStrings[redis] = server.ConnectionString;
        _runners[redis] = new ProcessRunner(redis, [server], _logger);
    }

    private void PlanPostgres(PostgresServerResource postgres)
    {
        string? adminConnectionString = null;
        ResourceRunner? serverRunner = null;
        if (_configuration.GetConnectionString(postgres.Name) is { Length: > 0 } external)
        {
            adminConnectionString = external;
            serverRunner = new ExternalRunner(postgres, ct => PostgresServer.CanConnectAsync(external, ct), _logger);
        }
        else if (postgres.Databases.Any(database => _configuration.GetConnectionString(database.Name) is not { Length: > 0 }))
        {
            var server = new PostgresServer(postgres.Name, new PostgresServerOptions
            {
                DataDirectory = Path.Combine(_options.DataRootPath, postgres.Name),
                Port = ReservePort(postgres.Name, postgres.Port),
                Password = Secrets.GetOrCreate(postgres.PasswordParameter),
            }, _output)
            {
                StopTimeout = _options.StopTimeout,
            };
            adminConnectionString = server.AdminConnectionString;
            serverRunner = new ProcessRunner(postgres, [server], _logger);
        }

        // else: every database is given by its connection string, and the cluster is none of this host's business.
        if (serverRunner is not null && adminConnectionString is not null)
        {
            _connectionStrings[postgres] = adminConnectionString;
            _runners[postgres] = serverRunner;
        }

        foreach (var database in postgres.Databases)
        {
            if (_configuration.GetConnectionString(database.Name) is { Length: > 0 } externalDatabase)
            {
                _connectionStrings[database] = externalDatabase;
                _runners[database] = new ExternalRunner(database, ct => PostgresServer.CanConnectAsync(externalDatabase, ct), _logger);
                continue;
            }

            _connectionStrings[database] = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database.DatabaseName }.ConnectionString;
            var runner = new DatabaseRunner(database, adminConnectionString!, _logger);
            runner.WaitsFor.Add(serverRunner!);
            _runners[database] = runner;
        }
    }

    private void AssignPorts(ProjectResource project)
    {
        var replicas = _options.Replicas.GetValueOrDefault(project.Name, project.Replicas);
        var port = _options.Ports.GetValueOrDefault(project.Name, project.HttpPort);
        if (port != 0 && replicas > 1)
        {
            throw new AppHostConfigurationException(
                $"{project.Name} has {replicas} replicas, so it cannot have the fixed port {port}; set {AppHostOptions.PortSetting(project.Name)} to 0.");
        }

        _ports[project] = Enumerable.Range(0, replicas).Select(_ => ReservePort(project.Name, port)).ToList();
    }

    private void PlanProject(ProjectResource project, string dotnet)
    {
        var assembly = AppHostBuildInfo.OutputAssembly(project.ProjectPath);
        if (!File.Exists(assembly))
        {
            throw new AppHostBuildException(assembly);
        }

        var ports = _ports[project];
        var instances = ports.Select((port, index) =>
        {
            var replicaName = ports.Count == 1 ? project.Name : $"{project.Name}-{index}";
            return new ProjectInstance(
                replicaName,
                dotnet,
                assembly,
                Path.GetDirectoryName(project.ProjectPath)!,
                port,
                project.HealthCheckPath,
                ProjectEnvironment(project, replicaName, port),
                _output)
            {
                StartupTimeout = TimeSpan.FromMinutes(2),
                StopTimeout = _options.StopTimeout,
            };
        }).ToList<ResourceProcess>();
        _runners[project] = new ProcessRunner(project, instances, _logger);
    }

    /// <summary>Exactly the variables Aspire gives a project, and none inherited from the host that could contradict them.</summary>
    private Dictionary<string, string?> ProjectEnvironment(ProjectResource project, string replicaName, int port)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("services__", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        // ASPNETCORE_URLS decides; HTTP_PORTS (set in .NET container images) would only add a warning and a second port.
        foreach (var name in (string[])["HTTP_PORTS", "HTTPS_PORTS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS"])
        {
            environment[name] = null;
        }

        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["DOTNET_ENVIRONMENT"] = "Development";
        environment["ASPNETCORE_URLS"] = Url(port);
        environment["OTEL_SERVICE_NAME"] = project.Name;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={replicaName}";
        if (_configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } endpoint)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint;
        }

        foreach (var reference in project.References)
        {
            if (reference is ProjectResource service)
            {
                var urls = _ports[service];
                for (var i = 0; i < urls.Count; i++)
                {
                    environment[string.Create(CultureInfo.InvariantCulture, $"services__{service.Name}__http__{i}")] = Url(urls[i]);
                }
            }
            else if (_connectionStrings.TryGetValue(reference, out var connectionString))
            {
                environment[$"ConnectionStrings__{reference.Name}"] = connectionString;
            }
        }

        return environment;
    }

    /// <summary>The configured or declared port, checked free; or, for 0, a free one.</summary>
    private int ReservePort(string resourceName, int declared)
    {
        var port = _options.Ports.GetValueOrDefault(resourceName, declared);
        if (port == 0)
        {
            return LoopbackPorts.GetFree();
        }

        return LoopbackPorts.IsFree(port) ? port : throw new PortInUseException(port, resourceName);
    }
}
