using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Stores;

namespace TenantCache.Tests.Stores;

public sealed class MemoryCacheStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private MemoryCacheStore NewStore(long maxBytes = MemoryCacheStoreOptions.DefaultMaxBytes, int? maxItemBytes = null) =>
        new(new MemoryCacheStoreOptions
        {
            MaxBytes = maxBytes,
            MaxItemBytes = maxItemBytes ?? (int)Math.Min(maxBytes, MemoryCacheStoreOptions.DefaultMaxItemBytes),
        }, _time);

    private static async Task<StoreItem> GetAsync(MemoryCacheStore store, string key)
    {
        var results = new StoreItem[1];
        await store.GetManyAsync(new[] { key }, results);
        return results[0];
    }

    private static async Task<byte[]?> GetBytesAsync(MemoryCacheStore store, string key)
    {
        var item = await GetAsync(store, key);
        return item.Found ? item.Value.ToArray() : null;
    }

    private static byte[] Bytes(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    [Fact]
    public async Task Set_then_get_returns_the_value()
    {
        var store = NewStore();
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync("k1", new byte[] { 1, 2, 3 }, StoreSetMode.Set, null));
        Assert.Equal(new byte[] { 1, 2, 3 }, await GetBytesAsync(store, "k1"));
        Assert.Null(await GetBytesAsync(store, "k2"));
        Assert.Equal(1, store.Count);
        Assert.Equal(MemoryCacheStore.ItemCost(2, 3), store.CurrentBytes);
    }

    [Fact]
    public async Task Empty_value_is_a_hit()
    {
        var store = NewStore();
        await store.SetAsync("empty", ReadOnlyMemory<byte>.Empty, StoreSetMode.Set, null);
        var item = await GetAsync(store, "empty");
        Assert.True(item.Found);
        Assert.Equal(0, item.Value.Length);
    }

    [Fact]
    public async Task GetMany_fills_hits_and_misses_in_key_order()
    {
        var store = NewStore();
        await store.SetAsync("a", new byte[] { 1 }, StoreSetMode.Set, null);
        await store.SetAsync("c", new byte[] { 3, 3 }, StoreSetMode.Set, null);
        var results = Enumerable.Repeat(new StoreItem(new byte[] { 9 }), 5).ToArray(); // stale contents must be overwritten

        await store.GetManyAsync(new[] { "a", "b", "c", "a" }, results);

        Assert.True(results[0].Found);
        Assert.Equal(new byte[] { 1 }, results[0].Value.ToArray());
        Assert.False(results[1].Found);
        Assert.True(results[2].Found);
        Assert.Equal(new byte[] { 3, 3 }, results[2].Value.ToArray());
        Assert.True(results[3].Found);
        Assert.Equal(new byte[] { 9 }, results[4].Value.ToArray()); // beyond the keys: untouched
    }

    [Fact]
    public async Task GetMany_rejects_a_results_buffer_shorter_than_the_keys()
    {
        var store = NewStore();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.GetManyAsync(new[] { "a", "b" }, new StoreItem[1]).AsTask());
        Assert.Equal("results", ex.ParamName);
    }

    [Fact]
    public async Task Add_stores_only_when_absent_or_expired()
    {
        var store = NewStore();
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Add, TimeSpan.FromSeconds(10)));
        Assert.Equal(StoreSetResult.NotStored, await store.SetAsync("k", new byte[] { 2 }, StoreSetMode.Add, null));
        Assert.Equal(new byte[] { 1 }, await GetBytesAsync(store, "k"));

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync("k", new byte[] { 3 }, StoreSetMode.Add, null));
        Assert.Equal(new byte[] { 3 }, await GetBytesAsync(store, "k"));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Replace_stores_only_when_present()
    {
        var store = NewStore();
        Assert.Equal(StoreSetResult.NotStored, await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Replace, null));
        Assert.Equal(0, store.Count);
        Assert.Null(await GetBytesAsync(store, "k"));

        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, TimeSpan.FromSeconds(5));
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync("k", new byte[] { 2, 2 }, StoreSetMode.Replace, null));
        Assert.Equal(new byte[] { 2, 2 }, await GetBytesAsync(store, "k"));
        Assert.Equal(MemoryCacheStore.ItemCost(1, 2), store.CurrentBytes);

        _time.Advance(TimeSpan.FromDays(1)); // the replacement has no expiry
        Assert.Equal(new byte[] { 2, 2 }, await GetBytesAsync(store, "k"));
    }

    [Fact]
    public async Task Replace_of_an_expired_item_is_not_stored()
    {
        var store = NewStore();
        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StoreSetResult.NotStored, await store.SetAsync("k", new byte[] { 2 }, StoreSetMode.Replace, null));
        Assert.Null(await GetBytesAsync(store, "k"));
    }

    [Fact]
    public async Task Set_copies_the_callers_buffer()
    {
        var store = NewStore();
        byte[] buffer = { 1, 2, 3 };
        await store.SetAsync("k", buffer, StoreSetMode.Set, null);
        buffer[0] = 42;
        Assert.Equal(new byte[] { 1, 2, 3 }, await GetBytesAsync(store, "k"));
    }

    [Fact]
    public async Task GetMany_returns_the_stored_array_without_copying()
    {
        var store = NewStore();
        await store.SetAsync("k", new byte[] { 1, 2, 3 }, StoreSetMode.Set, null);
        var first = await GetAsync(store, "k");
        var second = await GetAsync(store, "k");
        Assert.True(MemoryMarshal.TryGetArray(first.Value, out var a));
        Assert.True(MemoryMarshal.TryGetArray(second.Value, out var b));
        Assert.Same(a.Array, b.Array);
    }

    [Fact]
    public async Task Overwriting_replaces_the_value_and_its_byte_cost()
    {
        var store = NewStore();
        await store.SetAsync("k", new byte[100], StoreSetMode.Set, null);
        await store.SetAsync("k", new byte[10], StoreSetMode.Set, null);
        Assert.Equal(1, store.Count);
        Assert.Equal(MemoryCacheStore.ItemCost(1, 10), store.CurrentBytes);
        Assert.Equal(10, (await GetBytesAsync(store, "k"))!.Length);
    }

    [Fact]
    public async Task Item_expires_exactly_at_its_ttl_and_is_removed_lazily()
    {
        var store = NewStore();
        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.NotNull(await GetBytesAsync(store, "k"));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, store.Count); // still held until looked at
        Assert.Null(await GetBytesAsync(store, "k"));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.CurrentBytes);
    }

    [Fact]
    public async Task Null_expiry_never_expires_and_huge_ttls_do_not_overflow()
    {
        var store = NewStore();
        await store.SetAsync("forever", new byte[] { 1 }, StoreSetMode.Set, null);
        await store.SetAsync("max", new byte[] { 2 }, StoreSetMode.Set, TimeSpan.MaxValue);
        _time.Advance(TimeSpan.FromDays(3650));
        Assert.NotNull(await GetBytesAsync(store, "forever"));
        Assert.NotNull(await GetBytesAsync(store, "max"));
    }

    [Fact]
    public async Task Zero_ttl_stores_nothing_and_removes_the_old_value()
    {
        var store = NewStore();
        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, null);
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync("k", new byte[] { 2 }, StoreSetMode.Set, TimeSpan.Zero));
        Assert.Null(await GetBytesAsync(store, "k"));
        Assert.Equal(0, store.CurrentBytes);
    }

    [Fact]
    public async Task Touch_resets_the_ttl()
    {
        var store = NewStore();
        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(8));
        Assert.True(await store.TouchAsync("k", TimeSpan.FromSeconds(10)));

        _time.Advance(TimeSpan.FromSeconds(8)); // 16 s after the set: alive only thanks to the touch
        Assert.NotNull(await GetBytesAsync(store, "k"));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await GetBytesAsync(store, "k"));
    }

    [Fact]
    public async Task Touch_with_null_removes_the_expiry_and_zero_expires_now()
    {
        var store = NewStore();
        await store.SetAsync("a", new byte[] { 1 }, StoreSetMode.Set, TimeSpan.FromSeconds(1));
        await store.SetAsync("b", new byte[] { 1 }, StoreSetMode.Set, null);
        Assert.True(await store.TouchAsync("a", null));
        Assert.True(await store.TouchAsync("b", TimeSpan.Zero));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(await GetBytesAsync(store, "a"));
        Assert.Null(await GetBytesAsync(store, "b"));
    }

    [Fact]
    public async Task Touch_of_a_missing_or_expired_key_returns_false()
    {
        var store = NewStore();
        Assert.False(await store.TouchAsync("missing", TimeSpan.FromSeconds(1)));
        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await store.TouchAsync("k", TimeSpan.FromSeconds(60)));
        Assert.Null(await GetBytesAsync(store, "k"));
    }

    [Fact]
    public async Task Delete_reports_whether_the_key_existed()
    {
        var store = NewStore();
        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, null);
        await store.SetAsync("short", new byte[] { 1 }, StoreSetMode.Set, TimeSpan.FromSeconds(1));

        Assert.True(await store.DeleteAsync("k"));
        Assert.Null(await GetBytesAsync(store, "k"));
        Assert.False(await store.DeleteAsync("k"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await store.DeleteAsync("short"));
        Assert.Equal(0, store.Count);
        Assert.Equal(0, store.CurrentBytes);
    }

    [Fact]
    public async Task Eviction_removes_the_least_recently_used_item_and_spares_a_recently_read_one()
    {
        var cost = MemoryCacheStore.ItemCost(1, 100);
        var store = NewStore(maxBytes: 3 * cost, maxItemBytes: (int)(3 * cost));
        await store.SetAsync("a", Bytes(100, 1), StoreSetMode.Set, null);
        await store.SetAsync("b", Bytes(100, 2), StoreSetMode.Set, null);
        await store.SetAsync("c", Bytes(100, 3), StoreSetMode.Set, null);
        Assert.NotNull(await GetBytesAsync(store, "a")); // a is now the most recent; b the least

        await store.SetAsync("d", Bytes(100, 4), StoreSetMode.Set, null);

        Assert.Null(await GetBytesAsync(store, "b"));
        Assert.NotNull(await GetBytesAsync(store, "a"));
        Assert.NotNull(await GetBytesAsync(store, "c"));
        Assert.NotNull(await GetBytesAsync(store, "d"));
        Assert.Equal(1, store.Evictions);
        Assert.Equal(3 * cost, store.CurrentBytes);
    }

    [Fact]
    public async Task Touch_makes_an_item_recent()
    {
        var cost = MemoryCacheStore.ItemCost(1, 100);
        var store = NewStore(maxBytes: 3 * cost, maxItemBytes: (int)(3 * cost));
        await store.SetAsync("a", Bytes(100, 1), StoreSetMode.Set, null);
        await store.SetAsync("b", Bytes(100, 2), StoreSetMode.Set, null);
        await store.SetAsync("c", Bytes(100, 3), StoreSetMode.Set, null);
        Assert.True(await store.TouchAsync("a", null));

        await store.SetAsync("d", Bytes(100, 4), StoreSetMode.Set, null);

        Assert.NotNull(await GetBytesAsync(store, "a"));
        Assert.Null(await GetBytesAsync(store, "b"));
    }

    [Fact]
    public async Task A_large_item_evicts_as_many_items_as_needed_and_expired_ones_are_not_counted_as_evictions()
    {
        var small = MemoryCacheStore.ItemCost(1, 100);
        var store = NewStore(maxBytes: 4 * small, maxItemBytes: (int)(4 * small));
        var large = MemoryCacheStore.ItemCost(1, store.MaxValueLength);
        Assert.InRange(large, 2 * small + 1, 3 * small); // needs three small items gone, leaves room for one
        await store.SetAsync("x", Bytes(100, 0), StoreSetMode.Set, TimeSpan.FromSeconds(1));
        foreach (var key in new[] { "a", "b", "c" })
        {
            await store.SetAsync(key, Bytes(100, 1), StoreSetMode.Set, null);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        await store.SetAsync("L", Bytes(store.MaxValueLength, 9), StoreSetMode.Set, null);

        Assert.Equal(2, store.Count);
        Assert.Equal(2, store.Evictions); // a and b; x had expired
        Assert.Equal(small + large, store.CurrentBytes);
        Assert.NotNull(await GetBytesAsync(store, "c"));
        Assert.NotNull(await GetBytesAsync(store, "L"));
        Assert.Null(await GetBytesAsync(store, "a"));
    }

    [Fact]
    public async Task Byte_budget_is_never_exceeded_and_matches_the_items_held()
    {
        var random = new Random(1234);
        var store = NewStore(maxBytes: 4096, maxItemBytes: 1024);
        var keys = Enumerable.Range(0, 40).Select(i => "key" + i).ToArray();
        for (var i = 0; i < 2000; i++)
        {
            var key = keys[random.Next(keys.Length)];
            await store.SetAsync(key, new byte[random.Next(store.MaxValueLength + 1)], StoreSetMode.Set, null);
            Assert.InRange(store.CurrentBytes, 0, store.MaxBytes);
        }

        Assert.True(store.Evictions > 0);
        Assert.Equal(await SumOfCostsAsync(store, keys), store.CurrentBytes);
    }

    [Fact]
    public void Default_limits_match_memcached_and_the_documented_value_rule()
    {
        var store = new MemoryCacheStore();
        Assert.Equal(64L * 1024 * 1024, store.MaxBytes);
        Assert.Equal(1_048_576, store.MaxItemBytes);
        Assert.Equal(1_048_576 - 250 - 64, store.MaxValueLength);
    }

    [Fact]
    public async Task Value_of_MaxValueLength_is_accepted_and_one_more_byte_is_rejected_without_changes()
    {
        var store = NewStore(maxBytes: 10_000, maxItemBytes: 1000);
        Assert.Equal(1000 - 250 - 64, store.MaxValueLength);
        string longestKey = new('k', 250);
        Assert.Equal(StoreSetResult.Stored, await store.SetAsync(longestKey, new byte[store.MaxValueLength], StoreSetMode.Set, null));
        Assert.Equal(1000, store.CurrentBytes);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.SetAsync(longestKey, new byte[store.MaxValueLength + 1], StoreSetMode.Set, null).AsTask());
        Assert.Equal("value", ex.ParamName);
        Assert.Equal(store.MaxValueLength, (await GetBytesAsync(store, longestKey))!.Length);
    }

    public static TheoryData<string> InvalidKeys() => new()
    {
        string.Empty,
        new string('k', 251),
        "has space",
        "tab\there",
        "new\nline",
        "del\u007f",
        "caf\u00e9",
        "nul\0",
    };

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Invalid_keys_are_rejected_by_every_operation(string key)
    {
        var store = NewStore();
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(() => store.SetAsync(key, new byte[] { 1 }, StoreSetMode.Set, null).AsTask())).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(key).AsTask())).ParamName);
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentException>(() => store.TouchAsync(key, null).AsTask())).ParamName);
        Assert.Equal("keys", (await Assert.ThrowsAsync<ArgumentException>(() => store.GetManyAsync(new[] { "ok", key }, new StoreItem[2]).AsTask())).ParamName);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task Null_keys_are_rejected()
    {
        var store = NewStore();
        Assert.Equal("key", (await Assert.ThrowsAsync<ArgumentNullException>(() => store.SetAsync(null!, new byte[] { 1 }, StoreSetMode.Set, null).AsTask())).ParamName);
        Assert.Equal("keys", (await Assert.ThrowsAsync<ArgumentNullException>(() => store.GetManyAsync(new string[] { null! }, new StoreItem[1]).AsTask())).ParamName);
    }

    [Fact]
    public async Task Every_printable_ascii_character_and_250_characters_are_valid()
    {
        var store = NewStore();
        string printable = new(Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(c => (char)c).ToArray());
        string longest = new('x', 250);
        await store.SetAsync(printable, new byte[] { 1 }, StoreSetMode.Set, null);
        await store.SetAsync(longest, new byte[] { 2 }, StoreSetMode.Set, null);
        Assert.Equal(new byte[] { 1 }, await GetBytesAsync(store, printable));
        Assert.Equal(new byte[] { 2 }, await GetBytesAsync(store, longest));
    }

    [Fact]
    public async Task Negative_ttl_and_unknown_mode_are_rejected_without_changes()
    {
        var store = NewStore();
        var negative = TimeSpan.FromTicks(-1);
        Assert.Equal("expiry", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, negative).AsTask())).ParamName);
        Assert.Equal(0, store.Count);

        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, TimeSpan.FromSeconds(5));
        Assert.Equal("expiry", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.TouchAsync("k", negative).AsTask())).ParamName);
        Assert.Equal("mode", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SetAsync("k", new byte[] { 2 }, (StoreSetMode)7, null).AsTask())).ParamName);

        _time.Advance(TimeSpan.FromSeconds(5)); // the original ttl still applies
        Assert.Null(await GetBytesAsync(store, "k"));
    }

    [Theory]
    [InlineData(0L, 1000, "MaxBytes")]
    [InlineData(-1L, 1000, "MaxBytes")]
    [InlineData(10_000L, 0, "MaxItemBytes")]
    [InlineData(10_000L, -5, "MaxItemBytes")]
    [InlineData(10_000L, 314, "MaxItemBytes")] // 250 + 64: no room for even one byte of value
    [InlineData(1000L, 1001, "MaxItemBytes")]
    public void Invalid_options_are_rejected_naming_the_property(long maxBytes, int maxItemBytes, string property)
    {
        var options = new MemoryCacheStoreOptions { MaxBytes = maxBytes, MaxItemBytes = maxItemBytes };
        var ex = Assert.ThrowsAny<ArgumentException>(() => new MemoryCacheStore(options));
        Assert.Equal(property, ex.ParamName);
    }

    [Fact]
    public void Smallest_valid_options_allow_a_one_byte_value()
    {
        var store = new MemoryCacheStore(new MemoryCacheStoreOptions { MaxBytes = 315, MaxItemBytes = 315 });
        Assert.Equal(1, store.MaxValueLength);
    }

    [Fact]
    public async Task Already_cancelled_token_cancels_every_operation_without_changes()
    {
        var store = NewStore();
        await store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, null);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SetAsync("k", new byte[] { 2 }, StoreSetMode.Set, null, cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.DeleteAsync("k", cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.TouchAsync("k", TimeSpan.Zero, cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetManyAsync(new[] { "k" }, new StoreItem[1], cts.Token).AsTask());

        Assert.Equal(new byte[] { 1 }, await GetBytesAsync(store, "k"));
    }

    [Fact]
    public async Task Operations_complete_synchronously()
    {
        var store = NewStore();
        var set = store.SetAsync("k", new byte[] { 1 }, StoreSetMode.Set, null).AsTask();
        Assert.True(set.IsCompletedSuccessfully);
        var get = store.GetManyAsync(new[] { "k" }, new StoreItem[1]).AsTask();
        Assert.True(get.IsCompletedSuccessfully);
        var touch = store.TouchAsync("k", null).AsTask();
        Assert.True(touch.IsCompletedSuccessfully);
        Assert.True(await touch);
        var delete = store.DeleteAsync("k").AsTask();
        Assert.True(delete.IsCompletedSuccessfully);
        Assert.True(await delete);
    }

    [Fact]
    public async Task Concurrent_hammering_keeps_values_whole_and_counts_consistent()
    {
        var store = NewStore(maxBytes: 8192, maxItemBytes: 1024);
        var keys = Enumerable.Range(0, 64).Select(i => "k" + i).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var corrupt = 0;

        var workers = Enumerable.Range(0, 8).Select(seed => Task.Run(async () =>
        {
            var random = new Random(seed);
            var results = new StoreItem[4];
            var lookups = new string[4];
            await start.Task; // all workers begin together, without blocking pool threads
            for (var i = 0; i < 20_000; i++)
            {
                var k = random.Next(keys.Length);
                switch (random.Next(6))
                {
                    case 0 or 1:
                        await store.SetAsync(keys[k], Bytes(random.Next(200), (byte)k), (StoreSetMode)random.Next(3), null);
                        break;
                    case 2:
                        await store.DeleteAsync(keys[k]);
                        break;
                    case 3:
                        await store.TouchAsync(keys[k], null);
                        break;
                    default:
                        for (var j = 0; j < lookups.Length; j++)
                        {
                            lookups[j] = keys[random.Next(keys.Length)];
                        }

                        await store.GetManyAsync(lookups, results);
                        for (var j = 0; j < lookups.Length; j++)
                        {
                            var expected = (byte)int.Parse(lookups[j].AsSpan(1), CultureInfo.InvariantCulture);
                            if (results[j].Found && results[j].Value.Span.ContainsAnyExcept(expected))
                            {
                                Interlocked.Increment(ref corrupt);
                            }
                        }

                        break;
                }

                if (store.CurrentBytes > store.MaxBytes)
                {
                    Interlocked.Increment(ref corrupt);
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(workers);

        Assert.Equal(0, corrupt);
        Assert.True(store.Evictions > 0);
        var all = new StoreItem[keys.Length];
        await store.GetManyAsync(keys, all);
        Assert.Equal(all.Count(r => r.Found), store.Count);
        Assert.Equal(await SumOfCostsAsync(store, keys), store.CurrentBytes);
        Assert.InRange(store.CurrentBytes, 0, store.MaxBytes);
    }

    private static async Task<long> SumOfCostsAsync(MemoryCacheStore store, string[] keys)
    {
        var results = new StoreItem[keys.Length];
        await store.GetManyAsync(keys, results);
        long sum = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (results[i].Found)
            {
                sum += MemoryCacheStore.ItemCost(keys[i].Length, results[i].Value.Length);
            }
        }

        return sum;
    }
}
