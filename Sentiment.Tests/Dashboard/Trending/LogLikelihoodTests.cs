using Sentiment.Dashboard.Trending;

namespace Sentiment.Tests.Dashboard.Trending;

public sealed class LogLikelihoodTests
{
    [Fact]
    public void Term_in_half_the_current_keywords_and_none_before_scores_600_ln2_minus_300_ln3()
    {
        // Table [[50, 0], [50, 100]], N = 200, row totals 50 and 150, column totals 100 and 100: expected 25, 25, 75, 75.
        // G² = 2 (50 ln 2 + 0 + 50 ln(2/3) + 100 ln(4/3)) = 600 ln 2 − 300 ln 3 ≈ 86.3046.
        var expected = (600 * Math.Log(2)) - (300 * Math.Log(3));

        Assert.Equal(expected, LogLikelihood.GSquared(count: 50, trailingCount: 0, total: 100, trailingTotal: 100), 10);
    }

    [Fact]
    public void Term_at_ten_percent_now_and_one_percent_before_scores_by_all_four_cells()
    {
        // Table [[10, 10], [90, 990]], N = 1100, rows 20 and 1080, columns 100 and 1000:
        // expected 20/11, 200/11, 1080/11, 10800/11.
        // G² = 2 (10 ln(11/2) + 10 ln(11/20) + 90 ln(11/12) + 990 ln(121/120)) ≈ 22.9078.
        var expected = 2 * ((10 * Math.Log(11.0 / 2)) + (10 * Math.Log(11.0 / 20)) + (90 * Math.Log(11.0 / 12)) + (990 * Math.Log(121.0 / 120)));

        var score = LogLikelihood.GSquared(count: 10, trailingCount: 10, total: 100, trailingTotal: 1000);

        Assert.Equal(expected, score, 10);
        Assert.Equal(22.9078, score, 4);
    }

    [Fact]
    public void Same_rate_in_both_periods_scores_zero()
    {
        Assert.Equal(0, LogLikelihood.GSquared(count: 20, trailingCount: 480, total: 200, trailingTotal: 4800), 10);
    }

    [Fact]
    public void Statistic_is_the_same_with_the_periods_swapped()
    {
        Assert.Equal(
            LogLikelihood.GSquared(count: 10, trailingCount: 10, total: 100, trailingTotal: 1000),
            LogLikelihood.GSquared(count: 10, trailingCount: 10, total: 1000, trailingTotal: 100),
            10);
    }

    [Fact]
    public void Rise_score_is_the_statistic_for_a_term_whose_rate_rose()
    {
        Assert.Equal(
            LogLikelihood.GSquared(count: 10, trailingCount: 10, total: 100, trailingTotal: 1000),
            LogLikelihood.RiseScore(count: 10, trailingCount: 10, total: 100, trailingTotal: 1000));
    }

    [Fact]
    public void Rise_score_is_null_for_a_term_whose_rate_fell_or_held()
    {
        // 10 of 1000 now against 10 of 100 before: as surprising as the rise above, but a fall.
        Assert.Null(LogLikelihood.RiseScore(count: 10, trailingCount: 10, total: 1000, trailingTotal: 100));
        Assert.Null(LogLikelihood.RiseScore(count: 20, trailingCount: 480, total: 200, trailingTotal: 4800));
    }

    [Fact]
    public void Rise_score_is_null_without_any_trailing_keywords()
    {
        Assert.Null(LogLikelihood.RiseScore(count: 30, trailingCount: 0, total: 30, trailingTotal: 0));
    }

    [Fact]
    public void Count_above_its_total_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LogLikelihood.GSquared(count: 11, trailingCount: 0, total: 10, trailingTotal: 5));
    }
}
