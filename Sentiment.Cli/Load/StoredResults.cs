using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Sentiment.Cli.Load;

/// <summary>
/// What the deployment stored for a source, read through the dashboard's read API with a viewer key:
/// <c>GET /api/metrics?source=</c> for the count while waiting, then every row's message id through
/// <c>GET /api/sentiment?source=</c>, a page of 200 at a time, so that lost and duplicated ids are counted, not inferred
/// from a total. A 503 (PostgreSQL or Redis down) or no answer is retried: the read API is as much under the fault as
/// the pipeline.
/// </summary>
public sealed class StoredResults(HttpClient http, Uri dashboard, string readKey)
{
    private const int PageSize = 200;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Rows stored under <paramref name="source"/>, or null while the read API cannot answer.</summary>
    public async Task<long?> CountAsync(string source, CancellationToken cancellationToken)
    {
        var metrics = await GetAsync<Metrics>($"api/metrics?source={Uri.EscapeDataString(source)}", cancellationToken);
        return metrics?.Total;
    }

    /// <summary>How many rows each stored message id of <paramref name="source"/> has (1 unless stored twice).</summary>
    public async Task<IReadOnlyDictionary<string, int>> RowsByIdAsync(string source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var query = $"api/sentiment?source={Uri.EscapeDataString(source)}&limit={PageSize}"
                + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            Page? page;
            while ((page = await GetAsync<Page>(query, deadline.Token)) is null)
            {
                await Task.Delay(RetryDelay, deadline.Token);
            }

            foreach (var item in page.Items)
            {
                rows[item.MessageId] = rows.GetValueOrDefault(item.MessageId) + 1;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return rows;
    }

    private async Task<T?> GetAsync<T>(string pathAndQuery, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(dashboard, pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", readKey);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new LoadRefusedException(
                    $"the dashboard answered {(int)response.StatusCode} {response.StatusCode} to {request.RequestUri!.AbsolutePath}: the read key is missing, unknown, or not a viewer's.");
            }

            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new LoadRefusedException($"the dashboard answered 404 to {request.RequestUri!.AbsolutePath}: is this the dashboard's address?");
            }

            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<T>(cancellationToken) : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private sealed record Metrics(long Total);

    private sealed record Page(IReadOnlyList<PageItem> Items, string? NextCursor);

    private sealed record PageItem(string MessageId);
}
