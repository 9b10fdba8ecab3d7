using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Sentiment.AppHost.LocalResources;

/// <summary>A local system account, such as <c>postgres</c>, that PostgreSQL runs as when the host is root.</summary>
internal sealed record SystemUser(string Name, uint UserId, uint GroupId)
{
    public static bool CurrentIsRoot => OperatingSystem.IsLinux() && NativeMethods.GetEffectiveUserId() == 0;

    /// <summary>Looks the account up through the C library (so NSS sources count), or returns null.</summary>
    public static SystemUser? Find(string name)
    {
        var entry = NativeMethods.GetPasswordEntry(name);
        if (entry == IntPtr.Zero)
        {
            return null;
        }

        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }: two pointers, then the ids.
        var userId = (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
        var groupId = (uint)Marshal.ReadInt32(entry, (2 * IntPtr.Size) + sizeof(uint));
        return new SystemUser(name, userId, groupId);
    }

    public void TakeOwnership(string path)
    {
        if (NativeMethods.Chown(path, UserId, GroupId) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"Could not give {path} to user {Name}");
        }
    }
}
