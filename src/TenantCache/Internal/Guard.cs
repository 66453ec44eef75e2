namespace TenantCache.Internal;

/// <summary>Argument checks shared by every public entry point.</summary>
internal static class Guard
{
    /// <summary>Application ids, tenant ids, scope names and tags: not null, not empty, not only whitespace.</summary>
    public static string Name(string? value, string parameterName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The value must not be empty or whitespace.", parameterName);
        }

        return value;
    }

    /// <summary>Entry keys: not null, not empty; any other content is allowed.</summary>
    public static string Key(string? key, string parameterName)
    {
        if (key is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        if (key.Length == 0)
        {
            throw new ArgumentException("The key must not be empty.", parameterName);
        }

        return key;
    }

    public static TimeSpan? PositiveOrNull(TimeSpan? value, string parameterName)
    {
        if (value is { } v && v <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, v, "A time to live must be positive.");
        }

        return value;
    }
}
