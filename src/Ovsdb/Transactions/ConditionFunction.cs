namespace IoVisor.Ovsdb.Transactions;

/// <summary>The RFC 7047 &lt;function&gt; of a condition.</summary>
public enum ConditionFunction
{
    LessThan,
    LessOrEqual,
    Equal,
    NotEqual,
    GreaterOrEqual,
    GreaterThan,
    Includes,
    Excludes,
}
