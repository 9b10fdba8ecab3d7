using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Sentiment.AppHost.LocalResources;

public static class LocalPostgresBuilderExtensions
{
    private const string SetPriv = "/usr/bin/setpriv";

    // sun_path holds 108 bytes with the terminating NUL; the socket's own name is ".s.PGSQL.<port>".
    private const int MaxSocketPathLength = 107;

    /// <summary>
    /// Adds a PostgreSQL cluster in the data root, created with <c>initdb</c> (scram-sha-256, a generated password) before
    /// its first start, listening on loopback on a port Aspire allocates. Ready once it accepts a connection.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        var binDirectory = PostgresInstallation.FindBinDirectory(
            builder.Configuration[PostgresInstallation.BinDirectorySetting], builder.Configuration["PATH"]) ?? throw new DistributedApplicationException(
            "PostgreSQL (initdb, postgres) was not found. Install Debian's postgresql package, or start with ./run.sh, which installs it.");
        SystemUser? runAs = null;
        if (SystemUser.CurrentIsRoot)
        {
            // PostgreSQL refuses to run as root.
            runAs = SystemUser.Find(LocalPostgresServerResource.SuperUser) ?? throw new DistributedApplicationException(
                "The 'postgres' system user was not found. Install Debian's postgresql package, which creates it.");
        }

        var dataRoot = LocalDataRoot.For(builder);
        var password = builder.AddParameter($"{name}-password", () => dataRoot.Secrets.GetOrCreate(LocalSecrets.PostgresPassword), secret: true);
        var server = new LocalPostgresServerResource(name, runAs is null ? Path.Combine(binDirectory, "postgres") : SetPriv, dataRoot.PostgresDirectory, password.Resource);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, cancellationToken) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken));
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, cancellationToken) =>
            await PrepareClusterAsync(server, binDirectory, runAs, cancellationToken));
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new LocalPostgresHealthCheck(() => connectionString is null ? null : AdminConnectionString(connectionString), server.DataDirectory),
            failureStatus: null,
            tags: null));

        return builder.AddResource(server)
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                foreach (var argument in RunAsArguments(runAs, Path.Combine(binDirectory, "postgres")))
                {
                    context.Args.Add(argument);
                }

                var socketDirectory = server.DataDirectory.Length + ".s.PGSQL.65535".Length + 1 <= MaxSocketPathLength
                    ? server.DataDirectory
                    : ""; // Too long for a Unix socket path: TCP only.
                context.Args.Add("-D");
                context.Args.Add(server.DataDirectory);
                context.Args.Add("-k");
                context.Args.Add(socketDirectory);
                context.Args.Add("-c");
                context.Args.Add("listen_addresses=localhost");
                // The socket file sits in the owner-only data directory; its own mode says the same.
                context.Args.Add("-c");
                context.Args.Add("unix_socket_permissions=0700");
                context.Args.Add("-p");
                context.Args.Add(server.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
            })
            .WithHealthCheck(healthCheckKey)
            .WithIconName("DatabaseMultiple")
            .ExcludeFromManifest();
    }

    /// <summary>A database created on the server once it is ready, unless it exists; as Aspire's <c>AddDatabase</c>.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> builder, [ResourceName] string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, cancellationToken) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken));

        // Aspire carries a container's state over to its databases, not an executable's: so the database is created,
        // and then marked running (which starts its health checks, and so WaitFor), here.
        builder.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(builder.Resource, async (readyEvent, cancellationToken) =>
        {
            var serverConnectionString = await builder.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            await CreateDatabaseAsync(AdminConnectionString(serverConnectionString!), database.DatabaseName, cancellationToken);
            await readyEvent.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });
        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException("The database's connection string is not available yet."),
            name: healthCheckKey);

        return builder.ApplicationBuilder.AddResource(database)
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Database")
            .ExcludeFromManifest();
    }

    /// <summary>Sets the server's <c>max_connections</c> (PostgreSQL's default is 100).</summary>
    public static IResourceBuilder<LocalPostgresServerResource> WithMaxConnections(this IResourceBuilder<LocalPostgresServerResource> builder, int maxConnections) =>
        builder.WithArgs("-c", string.Create(CultureInfo.InvariantCulture, $"max_connections={maxConnections}"));

    internal static string AdminConnectionString(string serverConnectionString) =>
        new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false, Timeout = 5 }.ConnectionString;

    [UnsupportedOSPlatform("windows")]
    private static async Task PrepareClusterAsync(LocalPostgresServerResource server, string binDirectory, SystemUser? runAs, CancellationToken cancellationToken)
    {
        var dataDirectory = server.DataDirectory;
        Directory.CreateDirectory(dataDirectory);
        if (runAs is not null)
        {
            MakeAncestorsTraversable(dataDirectory);
            runAs.TakeOwnership(dataDirectory);
        }

        // PostgreSQL refuses a data directory that others can read.
        OwnerOnly.Restrict(dataDirectory);
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            return;
        }

        if (Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            throw new DistributedApplicationException(
                $"{dataDirectory} is not empty and holds no PostgreSQL cluster; remove it or start with --reset-data.");
        }

        // initdb reads the password from a file its user can read; the file lives beside the data directory only while
        // initdb runs.
        var passwordFile = Path.Combine(Path.GetDirectoryName(dataDirectory)!, $".initdb-{Guid.NewGuid():N}");
        OwnerOnly.WriteFile(passwordFile, (await server.PasswordParameter.GetValueAsync(cancellationToken))!);
        try
        {
            runAs?.TakeOwnership(passwordFile);
            var initdb = Path.Combine(binDirectory, "initdb");
            string[] arguments =
            [
                "-D", dataDirectory, "-U", LocalPostgresServerResource.SuperUser, "-A", "scram-sha-256",
                $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8",
            ];
            var start = new ProcessStartInfo(runAs is null ? initdb : SetPriv)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dataDirectory,
            };
            foreach (var argument in RunAsArguments(runAs, initdb).Concat(arguments))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new DistributedApplicationException(
                    $"initdb for {server.Name} failed with exit code {process.ExitCode}: {(await errors).Trim()} {(await output).Trim()}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// What comes before a PostgreSQL program's own arguments: as root, <c>setpriv</c>'s switch to <paramref name="runAs"/>
    /// and the program itself (the command is then <c>setpriv</c>); otherwise nothing, the program being the command.
    /// </summary>
    private static string[] RunAsArguments(SystemUser? runAs, string program) => runAs is null
        ? []
        : [$"--reuid={runAs.Name}", $"--regid={runAs.Name}", "--init-groups", "--", program];

    /// <summary>Creates <paramref name="database"/> on the server of <paramref name="adminConnectionString"/> unless it exists.</summary>
    public static async Task CreateDatabaseAsync(string adminConnectionString, string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        // CREATE DATABASE takes no parameters; the name is quoted as an identifier instead.
        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var create = new NpgsqlCommand("CREATE DATABASE " + quoted, connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created meanwhile by someone else; that is what was asked for.
        }
    }

    /// <summary>
    /// The <c>postgres</c> user must reach its data directory. A temporary folder from .NET is mode 700 and so is root's
    /// home, so the "others may traverse" bit is added where missing. It grants no listing or reading.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    private static void MakeAncestorsTraversable(string directory)
    {
        for (var parent = Directory.GetParent(directory); parent is not null; parent = parent.Parent)
        {
            var mode = File.GetUnixFileMode(parent.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(parent.FullName, mode | UnixFileMode.OtherExecute);
            }
        }
    }
}
