using System.Diagnostics;
using Sentiment.Dashboard.Authentication;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.Cli;

/// <summary>
/// <c>sentiment users hash-password</c> as an operator runs it: the built tool, the password on standard input. The
/// dashboard must accept what it prints.
/// </summary>
public sealed class UsersCommandTests
{
    [Fact]
    public async Task The_printed_hash_is_one_the_dashboard_verifies_and_it_holds_no_password()
    {
        const string Password = "a long enough password";

        var (exitCode, output, _) = await RunAsync(Password + "\n");

        Assert.Equal(0, exitCode);
        var hash = output.Trim();
        Assert.True(PasswordHashes.LooksValid(hash), hash);
        Assert.True(PasswordHashes.Verify(hash, Password));
        Assert.False(PasswordHashes.Verify(hash, Password + "!"));
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_password_is_refused_naming_the_line()
    {
        var (exitCode, output, error) = await RunAsync("short\n");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal("error: line 1: the password must have at least 12 characters.", error.Trim());
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string input)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(ModelTestPaths.BuildOutput("Sentiment.Cli"), "sentiment.dll"), "users", "hash-password"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }
}
