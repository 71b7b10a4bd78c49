using IoVisor.IoModules.L4lb;
using Xunit.Abstractions;

namespace IoVisor.Hover.Tests;

/// <summary>The properties the balancer relies on: shares follow weights, a pool change moves few
/// slots, and the same pool always gives the same table.</summary>
public sealed class MaglevTableTests(ITestOutputHelper output)
{
    private const int M = MaglevTable.DefaultSize;

    public static TheoryData<int[]> WeightMixes() => new()
    {
        new[] { 1, 2, 3 },
        new[] { 100, 100, 100, 100, 100 },
        new[] { 10, 20, 50, 100, 200, 500, 1000 },
        new[] { 1000, 999, 1, 1, 500, 250, 7, 3, 100, 42 },
        Random(10, seed: 7),
    };

    private static int[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(50, 1001)).ToArray();
    }

    private static List<MaglevBackend> Pool(int[] weights) =>
        weights.Select((w, i) => new MaglevBackend($"10.0.{i / 200}.{i % 200 + 10}:80", w, (uint)(i + 1))).ToList();

    private static Dictionary<uint, int> Slots(uint[] table) => table.CountBy(id => id).ToDictionary();

    [Theory]
    [MemberData(nameof(WeightMixes))]
    public void Each_backend_holds_its_weight_share_of_the_slots_within_1_percent(int[] weights)
    {
        var pool = Pool(weights);
        var slots = Slots(MaglevTable.Build(pool, M));
        Assert.DoesNotContain(0u, slots.Keys);
        double total = weights.Sum();
        foreach (var b in pool)
        {
            var expected = M * b.Weight / total;
            var held = slots.GetValueOrDefault(b.Id);
            output.WriteLine($"weight {b.Weight,4}: {held,6} slots, expected {expected,9:F1} ({(held - expected) / expected:P3})");
            // Within 1% of the share, or of a slot for shares too small for 1% to be one.
            Assert.True(Math.Abs(held - expected) <= Math.Max(0.01 * expected, 1.0),
                $"weight {b.Weight} of {total}: {held} slots, expected {expected:F1}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(32)]
    public void Removing_one_of_n_backends_moves_about_one_nth_of_the_slots(int n)
    {
        var pool = Pool(Enumerable.Repeat(100, n).ToArray());
        var before = MaglevTable.Build(pool, M);
        foreach (var gone in pool)
        {
            var after = MaglevTable.Build(pool.Where(b => b != gone), M);
            var moved = before.Zip(after).Count(p => p.First != p.Second);
            var movedOthers = before.Zip(after).Count(p => p.First != gone.Id && p.First != p.Second);
            var fraction = (double)moved / M;
            Assert.True(fraction <= 1.0 / n + 0.02,
                $"removing {gone.Name} of {n} moved {fraction:P2} of the slots ({movedOthers} not its own); at most {1.0 / n + 0.02:P2} expected");
            Assert.DoesNotContain(gone.Id, after);
        }
    }

    [Fact]
    public void Adding_a_backend_takes_slots_mostly_from_the_others_share_only()
    {
        var pool = Pool([100, 100, 100, 100]);
        var added = new MaglevBackend("10.0.9.9:80", 100, 99);
        var before = MaglevTable.Build(pool, M);
        var after = MaglevTable.Build([.. pool, added], M);
        var moved = before.Zip(after).Count(p => p.First != p.Second);
        var taken = after.Count(id => id == added.Id);
        Assert.True(moved <= taken + 0.02 * M, $"adding a fifth backend moved {moved} slots, {taken} of them to it");
    }

    [Fact]
    public void Weight_zero_backends_hold_no_slot_and_an_empty_pool_holds_none()
    {
        var pool = Pool([100, 0, 300]);
        var table = MaglevTable.Build(pool, M);
        Assert.DoesNotContain(pool[1].Id, table);
        Assert.DoesNotContain(0u, table);
        Assert.All(MaglevTable.Build([], M), id => Assert.Equal(0u, id));
        Assert.All(MaglevTable.Build(Pool([0, 0]), 101), id => Assert.Equal(0u, id));
    }

    [Fact]
    public void The_same_pool_gives_the_same_table_whatever_the_order()
    {
        var pool = Pool(Random(12, seed: 3));
        var first = MaglevTable.Build(pool, M);
        Assert.Equal(first, MaglevTable.Build(pool, M));
        Assert.Equal(first, MaglevTable.Build(Enumerable.Reverse(pool), M));
        Assert.Equal(first, MaglevTable.Build(pool.OrderBy(b => b.Weight), M));
    }

    [Fact]
    public void The_table_of_a_pool_is_the_same_in_every_process()
    {
        // A restarted daemon must rebuild exactly the table the kernel holds: no string hash codes.
        var table = MaglevTable.Build(Pool([1, 2, 3]), 251);
        var fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(table.AsSpan())))[..16];
        Assert.Equal("4BB0A6201CBD01D3", fingerprint);
    }

    [Fact]
    public void A_small_prime_table_works_and_a_non_prime_size_is_refused()
    {
        var table = MaglevTable.Build(Pool([1, 1, 1]), 7);
        Assert.Equal(7, table.Length);
        Assert.DoesNotContain(0u, table);
        Assert.Throws<ArgumentOutOfRangeException>(() => MaglevTable.Build(Pool([1]), 65536));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaglevTable.Build(Pool([1]), 65539));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(1, false)]
    [InlineData(0, false)]
    [InlineData(251, true)]
    [InlineData(65535, false)]
    [InlineData(65537, true)]
    [InlineData(4093 * 16, false)]
    public void IsPrime(long n, bool prime) => Assert.Equal(prime, MaglevTable.IsPrime(n));
}
