namespace Sentiment.AppHost.Processes;

/// <summary>Receives each line a child process writes to standard output or standard error.</summary>
public interface IChildOutput
{
    void WriteLine(string source, string line);
}
