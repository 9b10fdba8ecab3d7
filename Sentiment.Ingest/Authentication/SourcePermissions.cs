using System.Security.Claims;
using Sentiment.Contracts.Security;
using Sentiment.Ingest.Validation;

namespace Sentiment.Ingest.Authentication;

/// <summary>Which sources the caller's key may post to (its <see cref="IngestKeyStore.SourceClaim"/> claims).</summary>
public static class SourcePermissions
{
    /// <summary>The fields (<c>[3].source</c>) of the messages the caller may not post, each with why; empty if none.</summary>
    public static Dictionary<string, string[]> Forbidden(ClaimsPrincipal caller, FeedbackReadResult request)
    {
        var allowed = caller.FindAll(IngestKeyStore.SourceClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (allowed.Contains(IngestKey.AllSources))
        {
            return errors;
        }

        for (var i = 0; i < request.Messages.Count; i++)
        {
            var source = request.Messages[i].Source;
            if (!allowed.Contains(source))
            {
                errors[request.IsBatch ? $"[{i}].source" : "source"] = [$"This API key may not post to source '{source}'."];
            }
        }

        return errors;
    }
}
