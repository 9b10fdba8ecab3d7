using System.Runtime.InteropServices;

namespace Sentiment.AppHost.LocalResources;

/// <summary>The few POSIX calls .NET has no managed API for: who runs the host, and changing file owners.</summary>
internal static class NativeMethods
{
    [DllImport("libc", SetLastError = true, EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern uint GetEffectiveUserId();

    [DllImport("libc", SetLastError = true, EntryPoint = "chown", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", SetLastError = true, EntryPoint = "getpwnam", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern IntPtr GetPasswordEntry([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
