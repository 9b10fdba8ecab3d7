using System.Globalization;
using System.Runtime.Versioning;
using Npgsql;
using Sentiment.AppHost.Processes;

namespace Sentiment.AppHost.Infrastructure;

/// <summary>
/// A local PostgreSQL cluster on 127.0.0.1 with scram-sha-256 password authentication, created with <c>initdb</c> on
/// first start. PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> system user.
/// </summary>
public sealed class PostgresServer : ResourceProcess
{
    public const string SuperUser = "postgres";

    // sun_path holds 108 bytes with the terminating NUL; the socket's own name is ".s.PGSQL.<port>".
    private const int MaxSocketPathLength = 107;

    private readonly string _binDirectory;
    private readonly SystemUser? _runAs;

    public PostgresServer(string name, PostgresServerOptions options, IChildOutput? output = null)
        : base(name, output)
    {
        Options = options;
        _binDirectory = (options.BinDirectory is { } given ? (HasServer(given) ? given : null) : FindBinDirectory())
            ?? throw new MissingDependencyException("PostgreSQL (initdb, postgres)", "postgresql");
        if (SystemUser.CurrentIsRoot)
        {
            _runAs = SystemUser.Find(SuperUser)
                ?? throw new MissingDependencyException($"The '{SuperUser}' system user", "postgresql");
        }
    }

    public PostgresServerOptions Options { get; }

    /// <summary>Npgsql connection string for the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>Npgsql connection string for <paramref name="database"/>, the value of <c>ConnectionStrings__{name}</c>.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Options.Port,
        Username = SuperUser,
        Password = Options.Password,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates <paramref name="database"/> unless it exists, as Aspire's <c>AddDatabase</c> does.</summary>
    public Task CreateDatabaseAsync(string database, CancellationToken cancellationToken) =>
        CreateDatabaseAsync(AdminConnectionString, database, cancellationToken);

    /// <summary>Creates <paramref name="database"/> on the server of <paramref name="adminConnectionString"/> unless it exists.</summary>
    public static async Task CreateDatabaseAsync(string adminConnectionString, string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(WithoutPooling(adminConnectionString));
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

    /// <summary>Whether a connection opens; false while the server is not listening or still starting up.</summary>
    public static async Task<bool> CanConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(WithoutPooling(connectionString));
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException exception) when (exception is not PostgresException { SqlState: PostgresErrorCodes.InvalidPassword })
        {
            return false;
        }
    }

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The local PostgreSQL resource runs on Linux and macOS.");
        }

        var dataDirectory = Options.DataDirectory;
        Directory.CreateDirectory(dataDirectory);
        if (_runAs is not null)
        {
            MakeAncestorsTraversable(dataDirectory);
            _runAs.TakeOwnership(dataDirectory);
        }

        // PostgreSQL refuses a data directory that others can read.
        File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            if (Directory.EnumerateFileSystemEntries(dataDirectory).Any())
            {
                throw new InvalidOperationException(
                    $"{dataDirectory} is not empty and holds no PostgreSQL cluster; remove it or run with --reset-data.");
            }

            await InitializeClusterAsync(cancellationToken);
        }
    }

    protected override ChildProcessSpec CreateSpec()
    {
        var socketDirectory = Options.DataDirectory.Length + ".s.PGSQL.65535".Length + 1 <= MaxSocketPathLength
            ? Options.DataDirectory
            : ""; // Too long for a Unix socket path: listen on TCP only.
        return new ChildProcessSpec
        {
            Name = Name,
            FileName = Path.Combine(_binDirectory, "postgres"),
            Arguments =
            [
                "-D", Options.DataDirectory,
                "-k", socketDirectory,
                "-c", "listen_addresses=127.0.0.1",
                "-p", Options.Port.ToString(CultureInfo.InvariantCulture),
                .. Options.MaxConnections is { } maxConnections
                    ? ["-c", string.Create(CultureInfo.InvariantCulture, $"max_connections={maxConnections}")]
                    : Array.Empty<string>(),
            ],
            WorkingDirectory = Options.DataDirectory,
            RunAsUser = _runAs?.Name,

            // Fast shutdown: SIGTERM ("smart") would wait for every client to disconnect.
            StopSignal = StopSignal.Interrupt,
        };
    }

    protected override Task WaitUntilReadyAsync(CancellationToken cancellationToken) =>
        PollAsync(CanConnectAsync, cancellationToken);

    private async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await CanConnectAsync(AdminConnectionString, cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL cluster in {Options.DataDirectory} has another password than secrets.json holds; "
                + "run with --reset-data to recreate it.", exception);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private async Task InitializeClusterAsync(CancellationToken cancellationToken)
    {
        // initdb reads the password from a file that its user can read; it lives beside the data directory only
        // while initdb runs.
        var passwordFile = Path.Combine(Path.GetDirectoryName(Options.DataDirectory)!, $".initdb-{Guid.NewGuid():N}");
        var owner = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        await using (var writer = new StreamWriter(passwordFile, owner))
        {
            await writer.WriteAsync(Options.Password);
        }

        try
        {
            _runAs?.TakeOwnership(passwordFile);
            var initdb = await ChildProcess.StartAsync(new ChildProcessSpec
            {
                Name = Name,
                FileName = Path.Combine(_binDirectory, "initdb"),
                Arguments =
                [
                    "-D", Options.DataDirectory,
                    "-U", SuperUser,
                    "-A", "scram-sha-256",
                    $"--pwfile={passwordFile}",
                    "-E", "UTF8",
                    "--locale=C.UTF-8",
                ],
                WorkingDirectory = Options.DataDirectory,
                RunAsUser = _runAs?.Name,
            }, output: null);
            int exitCode;
            try
            {
                exitCode = await initdb.Exited.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await initdb.StopAsync(StopTimeout);
                throw;
            }

            if (exitCode != 0)
            {
                throw new ResourceStartException($"initdb for {Name} failed with exit code {exitCode}.", initdb.RecentOutput);
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// The <c>postgres</c> user must be able to reach its data directory. A temporary folder from .NET is mode 700 and
    /// so is root's home, so the "others may traverse" bit is added where missing. It grants no listing or reading.
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

    private static string WithoutPooling(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;

    private static bool HasServer(string directory) =>
        File.Exists(Path.Combine(directory, "postgres")) && File.Exists(Path.Combine(directory, "initdb"));

    private static string? FindBinDirectory()
    {
        const string DebianRoot = "/usr/lib/postgresql";
        var debian = Directory.Exists(DebianRoot)
            ? Directory.EnumerateDirectories(DebianRoot)
                .Select(version => (Version: decimal.TryParse(Path.GetFileName(version), CultureInfo.InvariantCulture, out var v) ? v : 0m, Bin: Path.Combine(version, "bin")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault(HasServer)
            : null;
        if (debian is not null)
        {
            return debian;
        }

        var onPath = ExecutableFinder.Find("postgres") is { } postgres ? Path.GetDirectoryName(postgres) : null;
        return onPath is not null && HasServer(onPath) ? onPath : null;
    }
}
