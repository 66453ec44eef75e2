using System.Net.Security;
using System.Security.Authentication;

namespace TenantCache.Stores;

/// <summary>
/// TLS for the connections of a networked store (memcached started with <c>-Z</c>, Redis with
/// <c>tls-port</c>, or a managed service with in-transit encryption). Off by default. When on, every
/// connection is TLS or fails: there is no fall-back to plaintext. The server's certificate is
/// validated the way <see cref="SslStream"/> validates it (a chain to a trusted root, the host name,
/// the validity period) unless <see cref="ServerCertificateValidation"/> says otherwise.
/// </summary>
public sealed class StoreTlsOptions
{
    /// <summary>Connect with TLS. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The name the server's certificate must carry (and the SNI name sent). Default (null): each
    /// server's host as written in the server list, an IP address included.
    /// </summary>
    public string? TargetHost { get; set; }

    /// <summary>
    /// A PEM file with the certificate authorities (one or more) to trust for the servers' certificates
    /// <i>instead of</i> the machine's trust store — for a private CA. Default (null): the machine's store.
    /// </summary>
    public string? CertificateAuthorityPath { get; set; }

    /// <summary>
    /// A PEM file with the client certificate (and its chain) to present, for a server that requires
    /// one (memcached <c>ssl_verify_mode=2</c>, Redis <c>tls-auth-clients yes</c>). Default (null): none.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>
    /// The PEM file with the client certificate's private key, when it is not in
    /// <see cref="ClientCertificatePath"/>. Default (null).
    /// </summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>The TLS versions allowed. Default <see cref="SslProtocols.None"/>: the operating system's choice (TLS 1.2 and 1.3).</summary>
    public SslProtocols EnabledProtocols { get; set; } = SslProtocols.None;

    /// <summary>
    /// Replaces the default validation of the server's certificate (for example to pin a certificate).
    /// Code only; not bound from configuration. Return false to refuse the server.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    internal void AddValidationErrors(List<string> errors)
    {
        if (!Enabled)
        {
            if (CertificateAuthorityPath is not null || ClientCertificatePath is not null || ClientKeyPath is not null)
            {
                errors.Add("Tls: certificate files are set but Tls.Enabled is false; set Tls.Enabled to true (or remove them).");
            }

            return;
        }

        if (TargetHost is { } host && (host.Length == 0 || host.Any(char.IsWhiteSpace)))
        {
            errors.Add("Tls.TargetHost must be a host name without spaces when set.");
        }

        if (ClientKeyPath is not null && ClientCertificatePath is null)
        {
            errors.Add("Tls.ClientKeyPath is set without Tls.ClientCertificatePath.");
        }

        CheckFile(errors, CertificateAuthorityPath, "Tls.CertificateAuthorityPath");
        CheckFile(errors, ClientCertificatePath, "Tls.ClientCertificatePath");
        CheckFile(errors, ClientKeyPath, "Tls.ClientKeyPath");
        if (errors.Count == 0)
        {
            try
            {
                using var credentials = TlsCredentials.Load(this);
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
            {
                errors.Add($"Tls: the certificate files could not be read: {e.Message}");
            }
        }
    }

    private static void CheckFile(List<string> errors, string? path, string name)
    {
        if (path is not null && !File.Exists(path))
        {
            errors.Add($"{name} names a file that does not exist: {path}");
        }
    }
}
