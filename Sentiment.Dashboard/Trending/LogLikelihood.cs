namespace Sentiment.Dashboard.Trending;

/// <summary>
/// Dunning's log-likelihood ratio G² for "this term is more frequent in the current window than in the trailing ones".
/// </summary>
/// <remarks>
/// The 2×2 table counts keyword occurrences:
/// <code>
///                  current window   trailing windows
///   the term            a                 b
///   other terms       c − a             d − b
/// </code>
/// where <c>c</c> and <c>d</c> are all keyword occurrences in each period. With N = c + d and each cell's expected
/// count E = row total × column total / N, G² = 2 Σ O · ln(O / E) over the four cells (0 · ln 0 = 0).
/// G² is 0 when the term's rate a/c equals its trailing rate b/d and grows with the evidence that they differ; it
/// follows χ² with one degree of freedom (3.84 is p = 0.05, 10.83 is p = 0.001). Unlike a ratio of rates it does not
/// explode for rare terms, and the totals in the table make a busy hour and a quiet day comparable, so trailing windows
/// need not be scaled to the current one (Dunning 1993, "Accurate methods for the statistics of surprise and
/// coincidence"). G² is symmetric in the direction of change, so only terms whose rate rose are scored.
/// </remarks>
public static class LogLikelihood
{
    /// <summary>G² of the 2×2 table above, whichever way the rate changed.</summary>
    public static double GSquared(long count, long trailingCount, long total, long trailingTotal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(trailingCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(total, count);
        ArgumentOutOfRangeException.ThrowIfLessThan(trailingTotal, trailingCount);

        double n = total + trailingTotal;
        if (n == 0)
        {
            return 0;
        }

        double termRow = count + trailingCount;
        var otherRow = n - termRow;
        var sum = Cell(count, termRow * total / n)
            + Cell(trailingCount, termRow * trailingTotal / n)
            + Cell(total - count, otherRow * total / n)
            + Cell(trailingTotal - trailingCount, otherRow * trailingTotal / n);

        // Rounding can leave a tiny negative value where the rates are equal.
        return Math.Max(0, 2 * sum);
    }

    /// <summary>
    /// G² when the term's rate in the current window is above its trailing rate (a/c &gt; b/d), else null. With no
    /// trailing occurrences at all (d = 0) there is nothing to have risen from, so nothing is trending.
    /// </summary>
    public static double? RiseScore(long count, long trailingCount, long total, long trailingTotal)
    {
        // a/c > b/d without division; (decimal) because the products of two large counts can pass long.MaxValue.
        var rose = trailingTotal > 0 && (decimal)count * trailingTotal > (decimal)trailingCount * total;
        return rose ? GSquared(count, trailingCount, total, trailingTotal) : null;
    }

    private static double Cell(double observed, double expected) =>
        observed == 0 ? 0 : observed * Math.Log(observed / expected);
}
