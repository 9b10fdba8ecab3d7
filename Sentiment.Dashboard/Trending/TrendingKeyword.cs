namespace Sentiment.Dashboard.Trending;

/// <summary>
/// A keyword whose frequency rose in the current window.
/// </summary>
/// <param name="Term">The keyword, as stored in <c>sentiment_analysis.keywords</c> (lower case).</param>
/// <param name="Count">Messages in the current window that have it as a keyword.</param>
/// <param name="TrailingCount">Messages in the trailing windows that have it as a keyword.</param>
/// <param name="Score">Dunning's log-likelihood G² of the rise (<see cref="LogLikelihood"/>); higher is more surprising.</param>
public sealed record TrendingKeyword(string Term, long Count, long TrailingCount, double Score);
