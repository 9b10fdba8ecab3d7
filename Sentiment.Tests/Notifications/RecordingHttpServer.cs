using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sentiment.Tests.Notifications;

/// <summary>A Kestrel server on 127.0.0.1 and a free port that keeps every request and answers from a script.</summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RecordingHttpServer(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Status answered once the scripted ones are used up.</summary>
    public int DefaultStatus { get; set; } = 200;

    /// <summary>Hold every request unanswered until <see cref="Release"/> or disposal, like a receiver that hangs.</summary>
    public bool Hang { get; set; }

    /// <summary>Starts on <paramref name="port"/>, or a free port when 0.</summary>
    public static async Task<RecordingHttpServer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RecordingHttpServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>Answers the next requests with these statuses, in order.</summary>
    public void AnswerWith(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _statuses.Enqueue(status);
        }
    }

    /// <summary>Answers the requests held by <see cref="Hang"/>, and every later one at once.</summary>
    public void Release()
    {
        Hang = false;
        _release.TrySetResult();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray()));
        if (Hang)
        {
            await _release.Task;
        }

        context.Response.StatusCode = _statuses.TryDequeue(out var status) ? status : DefaultStatus;
        await context.Response.WriteAsync(context.Response.StatusCode < 300 ? "ok" : "failing on purpose");
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
