using System.CommandLine;
using Microsoft.AspNetCore.Identity;

namespace Sentiment.Cli.Access;

/// <summary>
/// <c>sentiment users hash-password</c>: the hash of a dashboard user's password, for
/// <c>Dashboard:Authentication:Users:N:PasswordHash</c>. The password is read from standard input, so it stays out
/// of the shell's history and the process list.
/// </summary>
public static class UsersCommand
{
    public static Command Create()
    {
        var hash = new Command("hash-password", "Read a password from standard input (its first line) and print its hash for Dashboard:Authentication:Users:N:PasswordHash.");
        hash.SetAction(parse =>
        {
            var password = Console.In.ReadLine();
            if (string.IsNullOrEmpty(password) || password.Length < 12)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: line 1: the password must have at least 12 characters.");
                return 1;
            }

            // ASP.NET Core Identity's format (PBKDF2-HMAC-SHA512, 100,000 iterations), which the dashboard verifies.
            parse.InvocationConfiguration.Output.WriteLine(new PasswordHasher<string>().HashPassword("", password));
            return 0;
        });
        return new Command("users", "Dashboard users: hash a password for the configuration.") { hash };
    }
}
