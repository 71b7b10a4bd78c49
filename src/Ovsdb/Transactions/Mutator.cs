namespace IoVisor.Ovsdb.Transactions;

/// <summary>The RFC 7047 &lt;mutator&gt; of a mutation: arithmetic on integer and real columns
/// (and on every element of sets of them), insert/delete on sets and maps.</summary>
public enum Mutator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Insert,
    Delete,
}
