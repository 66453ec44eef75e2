using System.Security.Cryptography.X509Certificates;

namespace TenantCache.Stores;

/// <summary>The certificates <see cref="StoreTlsOptions"/> name, read from their PEM files once.</summary>
internal sealed class TlsCredentials : IDisposable
{
    private TlsCredentials(X509Certificate2Collection? authorities, X509Certificate2? client, X509Certificate2Collection? clientChain)
    {
        Authorities = authorities;
        Client = client;
        ClientChain = clientChain;
    }

    /// <summary>The only roots trusted for the servers' certificates, or null for the machine's store.</summary>
    public X509Certificate2Collection? Authorities { get; }

    /// <summary>The client certificate with its private key, or null.</summary>
    public X509Certificate2? Client { get; }

    /// <summary>The rest of the client certificate's file (intermediates), sent with it.</summary>
    public X509Certificate2Collection? ClientChain { get; }

    public static TlsCredentials Load(StoreTlsOptions options)
    {
        X509Certificate2Collection? authorities = null;
        if (options.CertificateAuthorityPath is { } caPath)
        {
            authorities = [];
            authorities.ImportFromPemFile(caPath);
            if (authorities.Count == 0)
            {
                throw new ArgumentException($"{caPath} holds no PEM certificate.");
            }
        }

        X509Certificate2? client = null;
        X509Certificate2Collection? chain = null;
        if (options.ClientCertificatePath is { } certPath)
        {
            client = X509Certificate2.CreateFromPemFile(certPath, options.ClientKeyPath);
            if (!client.HasPrivateKey)
            {
                client.Dispose();
                throw new ArgumentException($"No private key for the client certificate in {options.ClientKeyPath ?? certPath}.");
            }

            chain = [];
            chain.ImportFromPemFile(certPath);
            for (var i = chain.Count - 1; i >= 0; i--)
            {
                if (chain[i].Thumbprint == client.Thumbprint)
                {
                    var duplicate = chain[i];
                    chain.RemoveAt(i);
                    duplicate.Dispose();
                }
            }
        }

        return new TlsCredentials(authorities, client, chain);
    }

    public void Dispose()
    {
        Client?.Dispose();
        DisposeAll(Authorities);
        DisposeAll(ClientChain);
    }

    private static void DisposeAll(X509Certificate2Collection? certificates)
    {
        foreach (var certificate in certificates ?? [])
        {
            certificate.Dispose();
        }
    }
}
