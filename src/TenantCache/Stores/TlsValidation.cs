using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TenantCache.Stores;

/// <summary>
/// The check of a server's certificate that <see cref="StoreTlsOptions"/> describe, shared by the
/// engines: the caller's own callback if there is one; otherwise the platform's rules, with the chain
/// built against <see cref="TlsCredentials.Authorities"/> alone when a private CA is configured.
/// </summary>
internal static class TlsValidation
{
    /// <summary>A validation callback; <paramref name="refused"/> learns, in words, why a certificate was refused.</summary>
    public static RemoteCertificateValidationCallback Create(StoreTlsOptions options, TlsCredentials? credentials, Action<string> refused)
    {
        var custom = options.ServerCertificateValidation;
        var authorities = credentials?.Authorities;
        return (sender, certificate, chain, errors) =>
        {
            if (custom is not null)
            {
                return custom(sender, certificate, chain, errors);
            }

            var status = Status(chain);
            if (authorities is not null && certificate is not null)
            {
                errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
                if (!ChainsTo(certificate, chain, authorities, out status))
                {
                    errors |= SslPolicyErrors.RemoteCertificateChainErrors;
                }
            }

            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            refused(Describe(errors, status));
            return false;
        };
    }

    private static bool ChainsTo(X509Certificate certificate, X509Chain? presented, X509Certificate2Collection authorities, out X509ChainStatusFlags status)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // private CAs seldom publish revocation lists
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var built = chain.Build(leaf);
        status = Status(chain);
        return built;
    }

    private static X509ChainStatusFlags Status(X509Chain? chain)
    {
        var status = X509ChainStatusFlags.NoError;
        foreach (var element in chain?.ChainStatus ?? [])
        {
            status |= element.Status;
        }

        return status;
    }

    private static string Describe(SslPolicyErrors errors, X509ChainStatusFlags chain)
    {
        var parts = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            parts.Add("no certificate was presented");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            parts.Add("it does not carry the expected name (Tls.TargetHost)");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            parts.Add($"its chain is not trusted ({chain}; a private CA goes in Tls.CertificateAuthorityPath)");
        }

        return string.Join("; ", parts);
    }
}
