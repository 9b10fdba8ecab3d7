using Microsoft.AspNetCore.Identity;

namespace Sentiment.Dashboard.Authentication;

/// <summary>
/// Passwords as ASP.NET Core Identity hashes them (PBKDF2 with HMAC-SHA512, 100,000 iterations, a random salt), so a
/// configuration that leaks gives away no password.
/// </summary>
public static class PasswordHashes
{
    private static readonly PasswordHasher<LocalUser> Hasher = new();

    public static string Hash(string password) => Hasher.HashPassword(new LocalUser(), password);

    public static bool Verify(string hash, string password)
    {
        try
        {
            return Hasher.VerifyHashedPassword(new LocalUser(), hash, password) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="hash"/> is in Identity's version-3 format (its first byte is 0x01).</summary>
    public static bool LooksValid(string? hash)
    {
        var bytes = new byte[128];
        return hash is not null && Convert.TryFromBase64String(hash, bytes, out var length) && length > 13 && bytes[0] == 0x01;
    }
}
