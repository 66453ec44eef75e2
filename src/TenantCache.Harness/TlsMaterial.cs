using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TenantCache.Harness;

/// <summary>
/// Certificates made for a test, as PEM files in a directory of their own (readable by the server
/// processes, which may drop to <c>nobody</c>): a CA, a server certificate it signed for 127.0.0.1 and
/// localhost, a client certificate it signed, and a second, untrusted CA with a server certificate of
/// its own. The CAs live for a day, the certificates they sign 23 hours; everything is deleted on dispose.
/// </summary>
public sealed class TlsMaterial : IDisposable
{
    private TlsMaterial(string directory) => Directory = directory;

    /// <summary>The directory holding the files.</summary>
    public string Directory { get; }

    /// <summary>The trusted CA's certificate (PEM).</summary>
    public string CaPath => Path.Combine(Directory, "ca.pem");

    /// <summary>The server certificate signed by the CA, for 127.0.0.1 and localhost (PEM).</summary>
    public string ServerCertificatePath => Path.Combine(Directory, "server.pem");

    /// <summary>The server certificate's key (PEM, PKCS#8).</summary>
    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>A client certificate signed by the CA (PEM).</summary>
    public string ClientCertificatePath => Path.Combine(Directory, "client.pem");

    /// <summary>The client certificate's key (PEM, PKCS#8).</summary>
    public string ClientKeyPath => Path.Combine(Directory, "client.key");

    /// <summary>A server certificate for 127.0.0.1 signed by a CA nobody trusts (PEM).</summary>
    public string UntrustedServerCertificatePath => Path.Combine(Directory, "untrusted.pem");

    /// <summary>The untrusted server certificate's key.</summary>
    public string UntrustedServerKeyPath => Path.Combine(Directory, "untrusted.key");

    /// <summary>Makes the certificates in a new temporary directory.</summary>
    public static TlsMaterial Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("tenantcache-tls-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        var material = new TlsMaterial(directory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = MakeAuthority("TenantCache test CA", caKey);
        Write(material.CaPath, ca.ExportCertificatePem());
        Issue(ca, "127.0.0.1", serverAuth: true, material.ServerCertificatePath, material.ServerKeyPath);
        Issue(ca, "tenantcache-test-client", serverAuth: false, material.ClientCertificatePath, material.ClientKeyPath);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = MakeAuthority("Untrusted test CA", otherKey);
        Issue(other, "127.0.0.1", serverAuth: true, material.UntrustedServerCertificatePath, material.UntrustedServerKeyPath);
        return material;
    }

    /// <summary>Deletes the files.</summary>
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A server still holding a file open; the temporary directory is cleaned up later.
        }
    }

    private static X509Certificate2 MakeAuthority(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static void Issue(X509Certificate2 authority, string name, bool serverAuth, string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        using var certificate = request.Create(authority, now.AddMinutes(-4), now.AddHours(23), serial); // inside the CA's validity
        Write(certificatePath, certificate.ExportCertificatePem());
        Write(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    private static void Write(string path, string pem)
    {
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
