namespace IoVisor.OvnBridge.Matching;

/// <summary>A <see cref="FieldTest"/> or a <see cref="Comparison"/> (never <c>!=</c>), possibly negated:
/// what a conjunction of the disjunctive normal form is made of.</summary>
public readonly record struct Literal(MatchExpr Atom, bool Negated)
{
    public string Field => Atom switch
    {
        FieldTest t => t.Field,
        Comparison c => c.Field,
        _ => throw new InvalidOperationException($"{Atom} is not an atom"),
    };
}
