namespace TenantCache.Harness;

/// <summary>
/// A server process the harness started on loopback and controls (memcached, Redis, a Redis Cluster
/// node): what the fault injectors need, whatever the server.
/// </summary>
public interface ILocalServer
{
    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    string Endpoint { get; }

    /// <summary>The operating system's id of the process now; null while it is down. A restart changes it.</summary>
    int? ProcessId { get; }

    /// <summary>Kills the process (SIGKILL); it stays down until <see cref="RestartAsync"/>.</summary>
    void Kill();

    /// <summary>Freezes the process (SIGSTOP).</summary>
    void Pause();

    /// <summary>Thaws a paused process (SIGCONT).</summary>
    void Resume();

    /// <summary>Kills the process if it runs and starts an empty one on the same port; returns once it serves again.</summary>
    /// <returns>A task that completes once the server serves.</returns>
    Task RestartAsync();
}
