using System.Security.Cryptography;

namespace IoVisor.Integration.Tests.Harness;

public static class RandomHex
{
    /// <summary>A lowercase hex string of <paramref name="length"/> characters.</summary>
    public static string Next(int length) =>
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];
}
