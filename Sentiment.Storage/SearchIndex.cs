namespace Sentiment.Storage;

/// <summary>The trigram index behind the dashboard's text search, and how its pending list is kept short.</summary>
public static class SearchIndex
{
    public const string Name = "idx_original_text_trgm";

    /// <summary>
    /// <c>gin_pending_list_limit</c> of the index, in kB (32 MB, about 18,000 tweet-length rows): above it an INSERT
    /// merges the list into the index itself. The flusher normally merges it long before.
    /// </summary>
    public const int PendingListLimitKilobytes = 32 * 1024;

    /// <summary>
    /// Merges the pending list into the index in bulk; returns the pages it removed. One at a time per index: a second
    /// caller waits for the first. Needs the rights VACUUM needs (the index's owner).
    /// </summary>
    public const string FlushSql = $"SELECT gin_clean_pending_list('{Name}'::regclass)";
}
