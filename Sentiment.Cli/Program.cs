using Sentiment.Cli;

return SentimentCommandLine.Run(args, Console.Out, Console.Error);
