using System.Collections.Immutable;

namespace IoVisor.OvnBridge.Matching;

/// <summary>
/// A match as a disjunction of conjunctions of literals: each conjunction becomes firewall rules of
/// its own, so <c>||</c> turns into several rules. Negations are pushed down to the atoms (De
/// Morgan); the atoms' own negations are the rule builder's. An empty list never matches; an
/// empty conjunction always does.
/// </summary>
public sealed record NormalForm(ImmutableArray<ImmutableArray<Literal>> Conjunctions)
{
    /// <summary>More conjunctions than this is a match no firewall table should hold.</summary>
    public const int MaxConjunctions = 1024;

    public static NormalForm Of(MatchExpr expr) => new([.. Convert(Prerequisites.Annotate(expr), negate: false)]);

    private static List<ImmutableArray<Literal>> Convert(MatchExpr expr, bool negate) => expr switch
    {
        NotExpr n => Convert(n.Operand, !negate),
        AndExpr a when !negate => Product(Convert(a.Left, false), Convert(a.Right, false)),
        AndExpr a => Union(Convert(a.Left, true), Convert(a.Right, true)),
        OrExpr o when !negate => Union(Convert(o.Left, false), Convert(o.Right, false)),
        OrExpr o => Product(Convert(o.Left, true), Convert(o.Right, true)),
        ConstantExpr c => c.Value != negate ? [[]] : [],
        FieldTest or Comparison => [[new Literal(expr, negate)]],
        _ => throw new InvalidOperationException($"unexpected node {expr}"),
    };

    private static List<ImmutableArray<Literal>> Union(List<ImmutableArray<Literal>> a, List<ImmutableArray<Literal>> b)
    {
        var result = new List<ImmutableArray<Literal>>(a.Count + b.Count);
        result.AddRange(a);
        result.AddRange(b);
        return Checked(result);
    }

    private static List<ImmutableArray<Literal>> Product(List<ImmutableArray<Literal>> a, List<ImmutableArray<Literal>> b)
    {
        if ((long)a.Count * b.Count > MaxConjunctions)
        {
            throw TooComplex();
        }
        var result = new List<ImmutableArray<Literal>>(a.Count * b.Count);
        foreach (var left in a)
        {
            foreach (var right in b)
            {
                result.Add(left.AddRange(right));
            }
        }
        return result;
    }

    private static List<ImmutableArray<Literal>> Checked(List<ImmutableArray<Literal>> conjunctions) =>
        conjunctions.Count > MaxConjunctions ? throw TooComplex() : conjunctions;

    private static MatchSyntaxException TooComplex() =>
        new($"the match expands to more than {MaxConjunctions} alternatives");
}
