namespace Sentiment.AppHost.ApplicationModel;

/// <summary>Something the app model declares: a server, a database or a project. Its name is its key everywhere.</summary>
public interface IResource
{
    string Name { get; }
}

/// <summary>A resource that projects reach through <c>ConnectionStrings__{name}</c>.</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>The connection string as a manifest expression, such as <c>{redis.bindings.tcp.host}:...</c>.</summary>
    string ConnectionStringExpression { get; }
}
