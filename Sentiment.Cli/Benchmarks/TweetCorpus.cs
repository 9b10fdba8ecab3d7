namespace Sentiment.Cli.Benchmarks;

/// <summary>
/// Deterministic tweet-length customer messages for the benchmark: templates filled from word lists with a
/// seeded generator, so every run (and machine) measures the same texts. Mentions, URLs, hashtags, emoji and
/// HTML entities are there because the preprocessor and tokenizer pay for them in real traffic.
/// </summary>
public static class TweetCorpus
{
    private static readonly string[] Templates =
    [
        "{opener} the {product} from @{brand} is {adjective} {emoji}",
        "@{brand} my {product} arrived {delay} and it's {adjective}. {closing}",
        "{intensifier} {adjective} {product}, {opinion} #{tag}",
        "Day {number} with the new {product}: {opinion} {emoji} {url}",
        "Can someone at @{brand} explain why my {product} {problem}? {closing}",
        "just tried the {product} and honestly {opinion} &amp; {opinion2}",
        "{opener} {service} was {adjective} today, waited {number} minutes {emoji}",
        "Thanks @{brand} for the {adjective} {service}! {closing} {url}",
        "RT @{user}: the {product} {problem} again... {intensifier} {adjective} #{tag} #{tag2}",
        "{number}/10 would {verdict} the {product}. {opinion}",
        "not sure how I feel about the {product} update, {opinion} but {opinion2}",
        "why does the {product} {problem} every time I {activity}?? @{brand} {emoji}",
    ];

    private static readonly string[] Openers = ["Honestly", "Wow,", "Ugh", "So", "Well", "OMG", "Finally", "Meh,", "Not gonna lie", "Update:"];
    private static readonly string[] Products = ["phone", "laptop", "headphones", "coffee maker", "app", "router", "smart watch", "blender", "e-reader", "TV", "vacuum", "subscription box"];
    private static readonly string[] Brands = ["AcmeSupport", "ShopFast", "TelcoHelp", "GadgetCo", "HomeGoods", "StreamPlus", "AirlineCare", "BankDirect"];
    private static readonly string[] Users = ["jdoe", "sarah_k", "techreviewer", "mike1987", "the_real_anna", "dailydeals"];
    private static readonly string[] Adjectives = ["amazing", "terrible", "fine", "okay I guess", "disappointing", "fantastic", "broken", "slow", "great", "awful", "decent", "surprisingly good"];
    private static readonly string[] Intensifiers = ["really", "so", "absolutely", "kind of", "not very", "super", "pretty", "extremely"];
    private static readonly string[] Opinions = ["love it", "hate it", "it does the job", "worth every penny", "total waste of money", "can't complain", "would not recommend", "best purchase this year", "meh", "returning it tomorrow"];
    private static readonly string[] Problems = ["keeps crashing", "won't turn on", "drops the connection", "stopped charging", "is stuck updating", "makes a weird noise", "logs me out"];
    private static readonly string[] Closings = ["Not happy.", "Thank you!", "Please fix this.", "Still waiting for a reply.", "Great job team!", "Any ideas?", "Never again."];
    private static readonly string[] Services = ["customer service", "delivery", "checkout", "support chat", "the refund process", "installation"];
    private static readonly string[] Delays = ["two days late", "early", "on time", "a week late", "damaged", "without the charger"];
    private static readonly string[] Tags = ["fail", "customerservice", "happy", "tech", "mondays", "review", "unboxing", "help"];
    private static readonly string[] Verdicts = ["recommend", "buy again", "return", "avoid", "gift"];
    private static readonly string[] Activities = ["open it", "log in", "restart it", "update", "charge it"];
    private static readonly string[] Emoji = ["😀", "😡", "👍", "🙄", "❤️", "😂", "😭", "🔥", ":)", ":(", ""];
    private static readonly string[] Urls = ["https://t.co/a1B2c3D4e5", "http://example.com/order/12345", "www.example.org/help", ""];

    /// <summary><paramref name="count"/> messages; the same seed gives the same messages.</summary>
    public static string[] Generate(int count, int seed = 20240601)
    {
        var random = new Random(seed);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            texts[i] = Fill(Templates[random.Next(Templates.Length)], random);
            // Two sentences about two thirds of the time: the SemEval tweets average about 114 characters.
            if (random.Next(3) > 0)
            {
                texts[i] += " " + Fill(Templates[random.Next(Templates.Length)], random);
            }
        }

        return texts;
    }

    private static string Fill(string template, Random random) => template
        .Replace("{opener}", Pick(Openers, random), StringComparison.Ordinal)
        .Replace("{product}", Pick(Products, random), StringComparison.Ordinal)
        .Replace("{brand}", Pick(Brands, random), StringComparison.Ordinal)
        .Replace("{user}", Pick(Users, random), StringComparison.Ordinal)
        .Replace("{adjective}", Pick(Adjectives, random), StringComparison.Ordinal)
        .Replace("{intensifier}", Pick(Intensifiers, random), StringComparison.Ordinal)
        .Replace("{opinion2}", Pick(Opinions, random), StringComparison.Ordinal)
        .Replace("{opinion}", Pick(Opinions, random), StringComparison.Ordinal)
        .Replace("{problem}", Pick(Problems, random), StringComparison.Ordinal)
        .Replace("{closing}", Pick(Closings, random), StringComparison.Ordinal)
        .Replace("{service}", Pick(Services, random), StringComparison.Ordinal)
        .Replace("{delay}", Pick(Delays, random), StringComparison.Ordinal)
        .Replace("{tag2}", Pick(Tags, random), StringComparison.Ordinal)
        .Replace("{tag}", Pick(Tags, random), StringComparison.Ordinal)
        .Replace("{verdict}", Pick(Verdicts, random), StringComparison.Ordinal)
        .Replace("{activity}", Pick(Activities, random), StringComparison.Ordinal)
        .Replace("{emoji}", Pick(Emoji, random), StringComparison.Ordinal)
        .Replace("{url}", Pick(Urls, random), StringComparison.Ordinal)
        .Replace("{number}", random.Next(1, 60).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .TrimEnd();

    private static string Pick(string[] values, Random random) => values[random.Next(values.Length)];
}
