using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PortkeyAdminMcp.Security;

/// <summary>
/// Writes one-time key secrets to new owner-only files instead of returning them, so they never enter
/// the model's context. A file is never overwritten.
/// </summary>
public sealed class SecretFileWriter(IOptions<SecretOptions> options, TimeProvider clock)
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Directory => options.Value.Directory;

    /// <summary>Checked before a key is created: a secret with nowhere to go would be lost.</summary>
    public string? ProblemWithDirectory()
    {
        try
        {
            CreateDirectory();
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
        var stem = SafeName(keyId) + (rotation ? "-rotated-" + clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) : string.Empty);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var path = Path.Combine(Directory, stem + (attempt == 0 ? string.Empty : "-" + attempt.ToString(CultureInfo.InvariantCulture)) + ".key");
            try
            {
                using var stream = new FileStream(path, Options(FileMode.CreateNew));
                var bytes = Encoding.UTF8.GetBytes(secret + "\n");
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Never overwrite: an older secret of the same key may still be needed.
            }
        }

        throw new IOException("No free file name for the secret.");
    }

    public static string Fingerprint(string secret) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string Masked(string secret) =>
        secret.Length <= 8 ? new string('*', secret.Length) : string.Concat(secret.AsSpan(0, 4), new string('*', 5), secret.AsSpan(secret.Length - 3));

    private void CreateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, OwnerOnlyFolder);
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

    private static string SafeName(string id) => new([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
}
