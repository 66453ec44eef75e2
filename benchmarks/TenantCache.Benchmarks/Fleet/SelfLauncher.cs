using System.Diagnostics;
using System.Reflection;

namespace TenantCache.Benchmarks.Fleet;

/// <summary>
/// How to start another process of this very benchmark binary: the app host when it runs as one
/// (<c>dotnet run</c>, or the built executable), or the <c>dotnet</c> host plus the entry assembly's
/// path when it runs as <c>dotnet TenantCache.Benchmarks.dll</c>.
/// </summary>
internal static class SelfLauncher
{
    /// <summary>A start description for this binary with <paramref name="arguments"/>, standard streams redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell the path of the running executable (Environment.ProcessPath is null).");
        var info = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var entry = Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(entry) || !File.Exists(entry))
            {
                throw new InvalidOperationException($"Running under {host}, but the entry assembly's file was not found ('{entry}').");
            }

            info.ArgumentList.Add(entry);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The children must not wait for a debugger or print the SDK's first-run banner.
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }
}
