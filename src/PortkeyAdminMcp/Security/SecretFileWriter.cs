using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PortkeyAdminMcp.Security;

/// <summary>
/// Writes one-time key secrets to new owner-only files instead of returning them, so they never enter the
/// model's context. A file is never overwritten, its name never comes unfiltered from Portkey's answer, and the
/// folder must be the user's alone.
/// </summary>
public sealed class SecretFileWriter(IOptions<SecretOptions> options, TimeProvider clock)
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Ids longer than this, or with other characters than letters, digits, '-' and '_', are shortened and fingerprinted.</summary>
    public const int MaxStemLength = 64;

    public string Directory => options.Value.Directory;

    /// <summary>
    /// Why a folder cannot hold secrets: a symbolic link (it could point anywhere) or writable by others (they
    /// could plant or swap files). Null when it is fine or does not exist yet (it is then created owner-only).
    /// </summary>
    public static string? FolderProblem(string directory)
    {
        var info = new DirectoryInfo(directory);
        if (info.LinkTarget is not null)
        {
            return $"the secret folder {directory} is a symbolic link; point the setting at a real folder that only you can write to";
        }

        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        if (info.Exists && (info.UnixFileMode & WritableByOthers) != 0)
        {
            return $"the secret folder {directory} can be written by other users (mode {Convert.ToString((int)info.UnixFileMode, 8)}); chmod 700 it or choose another folder";
        }

        // Whoever can write a parent can rename the folder away and put another in its place between the check and
        // the write; a sticky parent (/tmp) lets nobody but the owner rename what is in it.
        for (var parent = info.Parent; parent is not null; parent = parent.Parent)
        {
            var real = parent.LinkTarget is null ? parent : parent.ResolveLinkTarget(returnFinalTarget: true) as DirectoryInfo ?? parent;
            if (real.Exists && (real.UnixFileMode & WritableByOthers) != 0 && (real.UnixFileMode & UnixFileMode.StickyBit) == 0)
            {
                return $"the secret folder {directory} is inside {parent.FullName}, which other users can write to (mode {Convert.ToString((int)real.UnixFileMode, 8)}); " +
                       "they could swap the folder. Choose a folder under your home directory";
            }
        }

        return null;
    }

    /// <summary>Checked before a key is created: a secret with nowhere to go would be lost.</summary>
    public string? ProblemWithDirectory()
    {
        try
        {
            CreateDirectory();
            if (FolderProblem(Directory) is { } problem)
            {
                return $"Cannot create the key: {problem}. Nothing was sent.";
            }

            var probe = Path.Combine(Directory, $".probe-{Guid.NewGuid():N}");
            using (new FileStream(probe, Options(FileMode.CreateNew)))
            {
            }

            File.Delete(probe);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"The secret folder {Directory} is not writable ({exception.GetType().Name}), so a new secret would have nowhere to go. " +
                   $"Fix its permissions or set {SecretOptions.DirectoryVariable}. Nothing was sent.";
        }
    }

    /// <summary>Writes the secret to a new file named after the key id (and the rotation time) and returns its path.</summary>
    public string Write(string keyId, string secret, bool rotation)
    {
        CreateDirectory();
        if (FolderProblem(Directory) is { } problem)
        {
            throw new IOException(problem);
        }

        var stem = SafeName(keyId) + (rotation ? "-rotated-" + clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) : string.Empty);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var path = Path.Combine(Directory, stem + (attempt == 0 ? string.Empty : "-" + attempt.ToString(CultureInfo.InvariantCulture)) + ".key");
            try
            {
                // CreateNew is O_CREAT|O_EXCL: it never follows a link planted at that name, and never overwrites.
                using var stream = new FileStream(path, Options(FileMode.CreateNew));
                var bytes = Encoding.UTF8.GetBytes(secret + "\n");
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
                if (!OperatingSystem.IsWindows())
                {
                    // As for folders: the umask must not leave the owner unable to read their own secret.
                    File.SetUnixFileMode(path, OwnerOnlyFile);
                }

                return path;
            }
            catch (IOException) when (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                // Never overwrite: an older secret of the same key may still be needed.
            }
        }

        throw new IOException("No free file name for the secret.");
    }

    public static string Fingerprint(string secret) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string Masked(string secret) =>
        secret.Length <= 8 ? new string('*', secret.Length) : string.Concat(secret.AsSpan(0, 4), new string('*', 5), secret.AsSpan(secret.Length - 3));

    /// <summary>
    /// A file name Portkey's answer cannot steer: letters, digits, '-' and '_' only, at most <see cref="MaxStemLength"/>
    /// characters. An id that had to be changed gets a fingerprint of the original, so two ids never share a name.
    /// </summary>
    public static string SafeName(string id)
    {
        var safe = new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        if (safe == id && safe.Length is > 0 and <= MaxStemLength)
        {
            return safe;
        }

        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..12];
        var kept = safe.Length > MaxStemLength - 13 ? safe[..(MaxStemLength - 13)] : safe;
        return (kept.Length == 0 ? "key" : kept) + "-" + fingerprint;
    }

    /// <summary>Creates the folder and any missing parents owner-only, whatever the umask says.</summary>
    private void CreateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
            return;
        }

        var missing = new Stack<string>();
        for (var current = Path.GetFullPath(Directory); !System.IO.Directory.Exists(current); current = Path.GetDirectoryName(current)!)
        {
            missing.Push(current);
            if (Path.GetDirectoryName(current) is null)
            {
                break;
            }
        }

        while (missing.TryPop(out var folder))
        {
            System.IO.Directory.CreateDirectory(folder, OwnerOnlyFolder);
            // mkdir applies the umask; the mode is set again so a umask of 077 or 777 changes nothing.
            File.SetUnixFileMode(folder, OwnerOnlyFolder);
        }
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var result = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            result.UnixCreateMode = OwnerOnlyFile;
        }

        return result;
    }
}
