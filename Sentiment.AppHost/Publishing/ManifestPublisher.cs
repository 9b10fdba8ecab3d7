using System.Text.Json;
using System.Text.Json.Nodes;
using Sentiment.AppHost.ApplicationModel;

namespace Sentiment.AppHost.Publishing;

/// <summary>
/// Writes the app model as an Aspire manifest (schema aspire-8.0), which deployment tools such as azd and aspirate
/// turn into containers. Redis and PostgreSQL become the containers Aspire would declare, with generated passwords as
/// parameters; projects keep their references as <c>{resource.connectionString}</c> expressions.
/// </summary>
public static class ManifestPublisher
{
    private const string RedisImage = "docker.io/library/redis:7.0";
    private const string PostgresImage = "docker.io/library/postgres:15";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task WriteAsync(IEnumerable<IResource> resources, string path, CancellationToken cancellationToken)
    {
        var manifestDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var entries = new JsonObject();
        foreach (var resource in resources)
        {
            switch (resource)
            {
                case RedisResource redis:
                    entries[redis.Name] = Redis(redis);
                    entries[redis.PasswordParameter] = GeneratedPassword(redis.PasswordParameter);
                    break;
                case PostgresServerResource postgres:
                    entries[postgres.Name] = Postgres(postgres);
                    entries[postgres.PasswordParameter] = GeneratedPassword(postgres.PasswordParameter);
                    break;
                case PostgresDatabaseResource database:
                    entries[database.Name] = new JsonObject
                    {
                        ["type"] = "postgres.database.v0",
                        ["parent"] = database.Parent.Name,
                        ["connectionString"] = database.ConnectionStringExpression,
                    };
                    break;
                case ProjectResource project:
                    entries[project.Name] = Project(project, manifestDirectory);
                    break;
                default:
                    throw new NotSupportedException($"{resource.GetType().Name} has no manifest form.");
            }
        }

        var manifest = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/aspire-8.0.json",
            ["resources"] = entries,
        };
        Directory.CreateDirectory(manifestDirectory);
        await File.WriteAllTextAsync(path, manifest.ToJsonString(Indented) + Environment.NewLine, cancellationToken);
    }

    private static JsonObject Redis(RedisResource redis) => new()
    {
        ["type"] = "container.v0",
        ["connectionString"] = redis.ConnectionStringExpression,
        ["image"] = RedisImage,
        ["entrypoint"] = "/bin/sh",

        // The same persistence as the local server: append-only, flushed every second.
        ["args"] = new JsonArray("-c", "redis-server --requirepass $REDIS_PASSWORD --appendonly yes --appendfsync everysec"),
        ["volumes"] = new JsonArray(Volume($"sentiment-{redis.Name}-data", "/data")),
        ["env"] = new JsonObject { ["REDIS_PASSWORD"] = $"{{{redis.PasswordParameter}.value}}" },
        ["bindings"] = new JsonObject { ["tcp"] = TcpBinding(6379) },
    };

    private static JsonObject Postgres(PostgresServerResource postgres) => new()
    {
        ["type"] = "container.v0",
        ["connectionString"] = postgres.ConnectionStringExpression,
        ["image"] = PostgresImage,
        ["volumes"] = new JsonArray(Volume($"sentiment-{postgres.Name}-data", "/var/lib/postgresql/data")),
        ["env"] = new JsonObject
        {
            ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256",
            ["POSTGRES_INITDB_ARGS"] = "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
            ["POSTGRES_USER"] = "postgres",
            ["POSTGRES_PASSWORD"] = $"{{{postgres.PasswordParameter}.value}}",
        },
        ["bindings"] = new JsonObject { ["tcp"] = TcpBinding(5432) },
    };

    private static JsonObject Project(ProjectResource project, string manifestDirectory)
    {
        var environment = new JsonObject
        {
            // In a container the project listens on the binding's target port, as Aspire declares it.
            ["HTTP_PORTS"] = $"{{{project.Name}.bindings.http.targetPort}}",
        };
        foreach (var reference in project.References)
        {
            if (reference is ProjectResource service)
            {
                environment[$"services__{service.Name}__http__0"] = $"{{{service.Name}.bindings.http.url}}";
            }
            else
            {
                environment[$"ConnectionStrings__{reference.Name}"] = $"{{{reference.Name}.connectionString}}";
            }
        }

        var http = new JsonObject { ["scheme"] = "http", ["protocol"] = "tcp", ["transport"] = "http" };
        if (project.IsExternal)
        {
            http["external"] = true;
        }

        return new JsonObject
        {
            ["type"] = "project.v0",
            ["path"] = Path.GetRelativePath(manifestDirectory, project.ProjectPath).Replace('\\', '/'),
            ["env"] = environment,
            ["bindings"] = new JsonObject { ["http"] = http },
        };
    }

    private static JsonObject GeneratedPassword(string name) => new()
    {
        ["type"] = "parameter.v0",
        ["value"] = $"{{{name}.inputs.value}}",
        ["inputs"] = new JsonObject
        {
            ["value"] = new JsonObject
            {
                ["type"] = "string",
                ["secret"] = true,
                ["default"] = new JsonObject
                {
                    ["generate"] = new JsonObject { ["minLength"] = 22, ["special"] = false },
                },
            },
        },
    };

    private static JsonObject Volume(string name, string target) =>
        new() { ["name"] = name, ["target"] = target, ["readOnly"] = false };

    private static JsonObject TcpBinding(int targetPort) => new()
    {
        ["scheme"] = "tcp",
        ["protocol"] = "tcp",
        ["transport"] = "tcp",
        ["targetPort"] = targetPort,
    };
}
