using TenantCache.Cli.Check;
using static TenantCache.Tests.Check.HistoryBuilder;

namespace TenantCache.Tests.Check;

/// <summary>
/// Mutation checks of the judge: hand-built histories with a real violation must be flagged, and legal
/// overlaps (which real-time order cannot decide) must not be.
/// </summary>
public sealed class JudgeTests
{
    private static void AssertFlagged(Verdict verdict, string invariant)
    {
        Assert.True(verdict.ViolationCount > 0, $"expected a violation of {invariant}, found none");
        Assert.Equal(invariant, verdict.Violations[0].Invariant);
    }

    private static void AssertClean(Verdict verdict) =>
        Assert.True(verdict.ViolationCount == 0, "unexpected: " + string.Join(" | ", verdict.Violations.Select(v => v.Invariant + " " + v.Message)));

    // ---- I1: invalidations -------------------------------------------------------------------

    [Fact]
    public void A_read_after_an_invalidation_returned_that_serves_a_set_finished_before_it_started_is_I1()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        var invalidation = h.Invalidate(Tenant(0), 20, 30);
        var read = h.Get(Tenant(0), 1, 40, 50, set);

        var verdict = h.Judge();

        AssertFlagged(verdict, "I1");
        Assert.Equal([read, set, invalidation], verdict.Violations[0].Evidence);
    }

    [Theory]
    [InlineData("application")]
    [InlineData("tenant")]
    [InlineData("sub-scope")]
    public void Every_enclosing_scope_counts(string level)
    {
        var h = new HistoryBuilder();
        var set = h.Set(Sub(1, 0), 3, 0, 10);
        h.Invalidate(level switch { "application" => App(), "tenant" => Tenant(1), _ => Sub(1, 0) }, 20, 30);
        h.Get(Sub(1, 0), 3, 40, 50, set);

        AssertFlagged(h.Judge(), "I1");
    }

    [Fact]
    public void Invalidating_a_sibling_a_deeper_scope_or_another_application_is_no_evidence()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        h.Invalidate(Tenant(1), 20, 30);
        h.Invalidate(Sub(0, 1), 20, 30);
        h.Invalidate(App(1), 20, 30);
        h.Get(Tenant(0), 1, 40, 50, set);

        AssertClean(h.Judge());
    }

    [Fact]
    public void A_read_that_started_before_the_invalidation_returned_may_return_the_old_value()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        h.Invalidate(Tenant(0), 20, 30);
        h.Get(Tenant(0), 1, 29, 50, set);
        h.Get(Tenant(0), 1, 30, 50, set); // starting at the very tick the invalidation returned is still overlap

        AssertClean(h.Judge());
    }

    [Fact]
    public void A_set_that_overlaps_the_invalidation_may_be_ordered_after_it()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 20);
        h.Invalidate(Tenant(0), 20, 30);
        h.Get(Tenant(0), 1, 40, 50, set);

        AssertClean(h.Judge());
    }

    [Fact]
    public void A_failed_or_unfinished_invalidation_is_never_evidence()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        h.Invalidate(Tenant(0), 20, 30, OpStatus.Threw);
        h.Invalidate(App(), 20, long.MaxValue, OpStatus.Unfinished);
        h.Get(Tenant(0), 1, 40, 50, set);

        AssertClean(h.Judge());
    }

    [Fact]
    public void An_invalidated_tag_the_write_carried_counts_and_others_do_not()
    {
        var flagged = new HistoryBuilder();
        var set = flagged.Set(Tenant(0), 1, 0, 10, tags: 0b010);
        flagged.InvalidateTag(1, 20, 30);
        flagged.Get(Tenant(0), 1, 40, 50, set);
        AssertFlagged(flagged.Judge(), "I1");

        var clean = new HistoryBuilder();
        set = clean.Set(Tenant(0), 1, 0, 10, tags: 0b010);
        clean.InvalidateTag(0, 20, 30);
        clean.InvalidateTag(2, 20, 30);
        clean.InvalidateTag(1, 20, 30, app: 1);
        clean.Get(Tenant(0), 1, 40, 50, set);
        AssertClean(clean.Judge());
    }

    [Fact]
    public void A_get_or_create_value_whose_factory_started_before_the_invalidation_is_stale_even_if_written_after_it()
    {
        var h = new HistoryBuilder();
        var made = h.GetOrCreateMade(Tenant(0), 1, start: 0, factoryStart: 5, end: 100);
        h.Invalidate(Tenant(0), 20, 30);
        h.Get(Tenant(0), 1, 110, 120, made);

        AssertFlagged(h.Judge(), "I1");
    }

    [Fact]
    public void A_get_or_create_value_whose_factory_started_after_the_invalidation_started_is_legal()
    {
        var h = new HistoryBuilder();
        var made = h.GetOrCreateMade(Tenant(0), 1, start: 0, factoryStart: 21, end: 100);
        h.Invalidate(Tenant(0), 20, 30);
        h.Get(Tenant(0), 1, 110, 120, made);

        AssertClean(h.Judge());
    }

    [Fact]
    public void Joining_a_computation_that_started_before_the_invalidation_is_I1()
    {
        var h = new HistoryBuilder();
        var leader = h.GetOrCreateMade(Tenant(0), 1, start: 0, factoryStart: 5, end: 100);
        h.Invalidate(Tenant(0), 20, 30);
        h.GetOrCreateReturned(Tenant(0), 1, 40, 100, leader);

        AssertFlagged(h.Judge(), "I1");
    }

    [Fact]
    public void A_removed_key_must_not_come_back_but_a_write_overlapping_the_removal_may()
    {
        var flagged = new HistoryBuilder();
        var set = flagged.Set(Tenant(0), 1, 0, 10);
        flagged.Remove(Tenant(0), 1, 20, 30);
        flagged.Get(Tenant(0), 1, 40, 50, set);
        AssertFlagged(flagged.Judge(), "I1");

        var clean = new HistoryBuilder();
        set = clean.Set(Tenant(0), 1, 0, 25);
        clean.Remove(Tenant(0), 1, 20, 30);
        clean.Remove(Tenant(0), 2, 20, 30);
        clean.Remove(Tenant(0), 1, 31, 35, OpStatus.Threw);
        clean.Get(Tenant(0), 1, 40, 50, set);
        AssertClean(clean.Judge());
    }

    // ---- I2: isolation and integrity ----------------------------------------------------------

    [Fact]
    public void A_value_written_for_another_identity_is_I2()
    {
        var h = new HistoryBuilder();
        var other = h.Set(Tenant(1), 1, 0, 10);
        h.GetRaw(Tenant(0), 1, 20, 30, ValueCodec.Encode(other.Entry, other.WriteId));

        var verdict = h.Judge();

        AssertFlagged(verdict, "I2");
        Assert.Contains("another identity", verdict.Violations[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)] // application vs tenant
    [InlineData(1)] // other application
    [InlineData(2)] // sub-scope vs tenant
    [InlineData(3)] // other key
    public void Foreign_identities_of_every_kind_are_I2(int kind)
    {
        var asked = new EntryKey(Tenant(0), 1);
        var foreign = kind switch
        {
            0 => new EntryKey(App(), 1),
            1 => new EntryKey(Tenant(0, app: 1), 1),
            2 => new EntryKey(Sub(0, 0), 1),
            _ => new EntryKey(Tenant(0), 2),
        };
        var h = new HistoryBuilder();
        h.GetRaw(asked.Location, asked.Key, 20, 30, ValueCodec.Encode(foreign, 42));

        AssertFlagged(h.Judge(), "I2");
    }

    [Fact]
    public void A_value_with_a_bad_checksum_is_I2()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        var value = ValueCodec.Encode(set.Entry, set.WriteId, paddingLength: 20);
        var tampered = value[..^20] + (char)(value[^20] ^ 1) + value[^19..];
        h.GetRaw(Tenant(0), 1, 20, 30, tampered);

        var verdict = h.Judge();

        AssertFlagged(verdict, "I2");
        Assert.Contains("checksum", verdict.Violations[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("v1|a0|t0|k1|w1|")]
    [InlineData("v1|a0|t0|k1|w1||0000000000000000")]
    public void A_value_that_does_not_decode_is_I2(string value)
    {
        var h = new HistoryBuilder();
        h.GetRaw(Tenant(0), 1, 20, 30, value);

        AssertFlagged(h.Judge(), "I2");
    }

    [Fact]
    public void A_well_formed_value_that_no_operation_wrote_is_I2()
    {
        var h = new HistoryBuilder();
        h.GetRaw(Tenant(0), 1, 20, 30, ValueCodec.Encode(new EntryKey(Tenant(0), 1), 999));

        AssertFlagged(h.Judge(), "I2");
    }

    [Fact]
    public void The_value_codec_round_trips_and_verifies()
    {
        var entry = new EntryKey(Sub(2, 1, app: 1), 7);
        var value = ValueCodec.Encode(entry, 0x1234_5678_9ABC, paddingLength: 30);

        Assert.Equal(ValueDefect.None, ValueCodec.Verify(value, entry, out var id));
        Assert.Equal(0x1234_5678_9ABC, id);
        Assert.Equal(ValueDefect.ForeignIdentity, ValueCodec.Verify(value, new EntryKey(Sub(2, 1, app: 1), 6), out _));
        Assert.Equal(ValueDefect.BadChecksum, ValueCodec.Verify(value.Replace("|k7|", "|k6|", StringComparison.Ordinal), new EntryKey(Sub(2, 1, app: 1), 6), out _));
        Assert.Equal(ValueDefect.BadChecksum, ValueCodec.Verify(value[..^3], entry, out _));
        Assert.Equal(ValueDefect.Undecodable, ValueCodec.Verify(value[..value.IndexOf("|w", StringComparison.Ordinal)], entry, out _));
    }

    [Fact]
    public void A_verified_value_of_the_right_write_is_clean()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        h.GetRaw(Tenant(0), 1, 20, 30, ValueCodec.Encode(set.Entry, set.WriteId, paddingLength: 5));

        AssertClean(h.Judge());
    }

    // ---- I3: a hit where nothing could have removed it -----------------------------------------

    [Fact]
    public void A_miss_after_an_untouched_completed_set_is_I3()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Sub(0, 0), 1, 0, 10);
        h.Invalidate(Tenant(1), 12, 14);       // locality: siblings do not matter
        h.Invalidate(Sub(0, 1), 12, 14);
        h.Set(Sub(0, 0), 2, 12, 14);           // nor do other keys
        h.InvalidateTag(1, 12, 14);            // nor tags the write did not carry
        var read = h.Get(Sub(0, 0), 1, 20, 30, returned: null);

        var verdict = h.Judge();

        AssertFlagged(verdict, "I3");
        Assert.Equal([read, set], verdict.Violations[0].Evidence);
        Assert.Equal(1, verdict.LocalityChecked);
    }

    [Fact]
    public void A_get_or_create_that_calls_its_factory_after_an_untouched_completed_set_is_I3()
    {
        var h = new HistoryBuilder();
        h.Set(Tenant(0), 1, 0, 10);
        h.GetOrCreateMade(Tenant(0), 1, 20, 21, 30);

        AssertFlagged(h.Judge(), "I3");
    }

    [Fact]
    public void A_hit_on_an_older_write_than_the_latest_completed_one_is_I3()
    {
        var h = new HistoryBuilder();
        var first = h.Set(Tenant(0), 1, 0, 10);
        h.Set(Tenant(0), 1, 20, 30);
        h.Get(Tenant(0), 1, 40, 50, first);

        AssertFlagged(h.Judge(), "I3");
    }

    [Fact]
    public void I3_is_not_judged_outside_a_locality_phase()
    {
        var h = new HistoryBuilder();
        h.Set(Tenant(0), 1, 0, 10);
        h.Get(Tenant(0), 1, 20, 30, returned: null);

        var verdict = h.Judge(locality: false);

        AssertClean(verdict);
        Assert.Equal(0, verdict.LocalityChecked);
    }

    public static TheoryData<string> Excuses() =>
    [
        "concurrent set", "overlapping sets", "get-or-create that computed", "removal", "failed removal",
        "enclosing invalidation", "failed enclosing invalidation", "unfinished invalidation", "carried tag invalidated",
        "failed set", "store error in the read", "store error in the set", "no set at all",
    ];

    [Theory]
    [MemberData(nameof(Excuses))]
    public void A_miss_is_legal_when_anything_could_explain_it(string excuse)
    {
        var h = new HistoryBuilder();
        var set = excuse == "no set at all" ? null : h.Set(Tenant(0), 1, 0, 10, tags: 0b001, status: excuse == "failed set" ? OpStatus.Threw : OpStatus.Ok);
        switch (excuse)
        {
            case "concurrent set": h.Set(Tenant(0), 1, 15, 25); break;
            case "overlapping sets": h.Set(Tenant(0), 1, 5, 9); break;
            case "get-or-create that computed": h.GetOrCreateMade(Tenant(0), 1, 5, 6, 14); break; // overlaps the set, so is no read of it
            case "removal": h.Remove(Tenant(0), 1, 12, 14); break;
            case "failed removal": h.Remove(Tenant(0), 1, 12, 14, OpStatus.Threw); break;
            case "enclosing invalidation": h.Invalidate(App(), 12, 14); break;
            case "failed enclosing invalidation": h.Invalidate(Tenant(0), 12, 14, OpStatus.Threw); break;
            case "unfinished invalidation": h.Invalidate(Tenant(0), 2, long.MaxValue, OpStatus.Unfinished); break;
            case "carried tag invalidated": h.InvalidateTag(0, 25, 35); break;
            case "store error in the set": set!.StoreErrors = 1; break;
        }

        var read = h.Get(Tenant(0), 1, 20, 30, returned: null);
        if (excuse == "store error in the read")
        {
            read.StoreErrors = 1;
        }

        var verdict = h.Judge();
        var i5 = excuse == "failed set" ? 1 : 0; // a set that throws is an I5 violation of its own
        Assert.True(verdict.ViolationCount == i5, excuse + ": " + string.Join(" | ", verdict.Violations.Select(v => v.Invariant + " " + v.Message)));
        Assert.Equal(0, verdict.ByInvariant.GetValueOrDefault("I3"));
    }

    [Fact]
    public void A_hit_on_the_latest_write_is_clean_and_counted()
    {
        var h = new HistoryBuilder();
        h.Set(Tenant(0), 1, 0, 10);
        var latest = h.Set(Tenant(0), 1, 12, 14);
        h.Get(Tenant(0), 1, 20, 30, latest);
        h.GetOrCreateReturned(Tenant(0), 1, 20, 30, latest);

        var verdict = h.Judge();

        AssertClean(verdict);
        Assert.Equal(2, verdict.LocalityChecked);
        Assert.Equal(2, verdict.Hits);
    }

    // ---- I5: fail open ---------------------------------------------------------------------------

    [Theory]
    [InlineData("get")]
    [InlineData("set")]
    [InlineData("get-or-create")]
    public void Reads_and_writes_that_throw_are_I5(string name)
    {
        var kind = name switch { "get" => OpKind.Get, "set" => OpKind.Set, _ => OpKind.GetOrCreate };
        var h = new HistoryBuilder();
        h.History.Add(new Operation { Kind = kind, Location = Tenant(0), Key = 1, Start = 0, End = 10, Status = OpStatus.Threw, Error = "CacheStoreException: down" });

        AssertFlagged(h.Judge(), "I5");
    }

    [Fact]
    public void Invalidations_may_throw_only_CacheInvalidationException()
    {
        var typed = new HistoryBuilder();
        typed.Invalidate(Tenant(0), 0, 10, OpStatus.Threw, typed: true);
        typed.Remove(Tenant(0), 1, 0, 10, OpStatus.Threw);
        AssertClean(typed.Judge());

        var untyped = new HistoryBuilder();
        untyped.Invalidate(Tenant(0), 0, 10, OpStatus.Threw, typed: false);
        AssertFlagged(untyped.Judge(), "I5");
    }

    [Fact]
    public void A_violation_report_shows_the_evidence_and_related_operations()
    {
        var h = new HistoryBuilder();
        var set = h.Set(Tenant(0), 1, 0, 10);
        h.Invalidate(Tenant(0), 20, 30);
        h.Get(Tenant(0), 1, 25, 35, set); // legal, but related
        h.Get(Tenant(0), 1, 40, 50, set);
        var verdict = h.Judge();
        var context = global::TenantCache.Cli.Check.Judge.Context(h.History, verdict.Violations[0]);

        Assert.Single(context);
        Assert.Contains("get a0/t0:k1", context[0].Describe(0), StringComparison.Ordinal);
    }
}
