using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TenantCache.AspNetCore.Internal;

namespace TenantCache.Tests.AspNetCore;

public sealed class TenantKeyPrefixTests
{
    [Property(MaxTest = 500)]
    public void Any_tenant_id_round_trips_and_the_rest_of_the_key_is_kept(NonEmptyString tenant, string? previousPrefix, string rest)
    {
        var id = tenant.Get;
        if (string.IsNullOrWhiteSpace(id))
        {
            return;
        }

        var prefix = TenantKeyPrefix.Create(id) + previousPrefix;
        Assert.DoesNotContain('\u001e', prefix[..(prefix.IndexOf(';', StringComparison.Ordinal) + 1)]);
        Assert.True(TenantKeyPrefix.TryParse(prefix + "\u001e" + rest, out var parsed, out var remainder));
        Assert.Equal(id, parsed);
        Assert.Equal(previousPrefix + "\u001e" + rest, remainder);
    }

    [Property(MaxTest = 500)]
    public void Different_tenants_never_share_a_prefix(NonEmptyString a, NonEmptyString b)
    {
        if (a.Get == b.Get)
        {
            return;
        }

        var pa = TenantKeyPrefix.Create(a.Get);
        var pb = TenantKeyPrefix.Create(b.Get);
        Assert.NotEqual(pa, pb);
        Assert.False(pa.StartsWith(pb, StringComparison.Ordinal) || pb.StartsWith(pa, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a;b", "tc-tenant:a%3Bb;")]
    [InlineData("a%b", "tc-tenant:a%25b;")]
    [InlineData("a\u001eb\u001fc", "tc-tenant:a%1Eb%1Fc;")]
    public void Separators_are_escaped(string tenant, string expected) =>
        Assert.Equal(expected, TenantKeyPrefix.Create(tenant));

    [Theory]
    [InlineData("GET\u001eHTTP\u001e*:*/x")]
    [InlineData("tc-tenant:no-terminator")]
    [InlineData("tc-tenant:bad%zz;rest")]
    [InlineData("tc-tenant:trailing%2;rest")]
    [InlineData("tc-tenant:;rest")]
    [InlineData("tc-tenant:   ;rest")]
    public void Keys_without_a_well_formed_tenant_belong_to_the_application(string key)
    {
        Assert.False(TenantKeyPrefix.TryParse(key, out _, out var rest));
        Assert.Equal(key, rest);
    }
}
