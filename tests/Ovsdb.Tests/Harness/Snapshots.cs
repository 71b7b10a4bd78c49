using IoVisor.Ovsdb.Caching;

namespace IoVisor.Ovsdb.Tests.Harness;

internal static class Snapshots
{
    /// <summary>Asserts two caches hold the same rows (UUIDs and values) in the given tables.</summary>
    public static void AssertSame(CacheSnapshot expected, CacheSnapshot actual, params string[] tables)
    {
        foreach (var table in tables)
        {
            var want = expected.Table(table);
            var have = actual.Table(table);
            Assert.Equal(want.Keys.Order(), have.Keys.Order());
            foreach (var (uuid, row) in want)
            {
                Assert.Equal(row, have[uuid]);
            }
        }
    }
}
