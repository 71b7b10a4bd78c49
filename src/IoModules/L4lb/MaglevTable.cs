using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IoVisor.IoModules.L4lb;

/// <summary>A backend as Maglev sees it: the name its permutation comes from (stable across
/// restarts and pool changes), its weight, and the id the table holds for it.</summary>
public readonly record struct MaglevBackend(string Name, int Weight, uint Id);

/// <summary>
/// Maglev consistent hashing (Eisenbud et al., NSDI 2016): a lookup table of a prime size M in
/// which each backend fills slots in the order of its own permutation of 0..M-1 (offset and skip
/// from two hashes of its name), taking turns, so every backend gets an even share and a change
/// of the pool moves few slots. Weighted as Envoy's and Katran's Maglev: a backend takes a turn
/// only in the rounds its weight earns (one in three for a third of the largest weight), so its
/// share of the slots follows its weight. Deterministic: the same pool gives the same table.
/// </summary>
public static class MaglevTable
{
    public const int DefaultSize = 65537;
    public const int MaxSize = L4lbAbi.MaglevStride;

    public static bool IsPrime(long n)
    {
        if (n < 2)
        {
            return false;
        }
        for (long d = 2; d * d <= n; d++)
        {
            if (n % d == 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The table: slot → backend id; every slot 0 when no backend has a weight above 0.</summary>
    public static uint[] Build(IEnumerable<MaglevBackend> backends, int size)
    {
        if (!IsPrime(size) || size > MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"a prime up to {MaxSize}");
        }
        var table = new uint[size];
        // The order of turns decides ties: sorted by name, not by the order backends came in.
        var pool = backends.Where(b => b.Weight > 0).OrderBy(b => b.Name, StringComparer.Ordinal).ToArray();
        if (pool.Length == 0)
        {
            return table;
        }
        var offset = new long[pool.Length];
        var skip = new long[pool.Length];
        var next = new long[pool.Length];
        var earned = new long[pool.Length];
        long top = pool.Max(b => b.Weight);
        for (var i = 0; i < pool.Length; i++)
        {
            var (h1, h2) = Hashes(pool[i].Name);
            offset[i] = (long)(h1 % (ulong)size);
            skip[i] = (long)(h2 % (ulong)(size - 1)) + 1;
            earned[i] = top;
        }
        var taken = new bool[size];
        var filled = 0;
        for (long round = 1; filled < size; round++)
        {
            for (var i = 0; i < pool.Length && filled < size; i++)
            {
                if (round * pool[i].Weight < earned[i])
                {
                    continue;
                }
                earned[i] += top;
                long slot;
                do
                {
                    slot = (offset[i] + next[i] * skip[i]) % size;
                    next[i]++;
                }
                while (taken[slot]);
                taken[slot] = true;
                table[slot] = pool[i].Id;
                filled++;
            }
        }
        return table;
    }

    /// <summary>Two independent 64-bit hashes of a name; SHA-256 because it is the same in every
    /// process and on every machine, unlike string hash codes.</summary>
    private static (ulong, ulong) Hashes(string name)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), digest);
        return (BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]));
    }
}
