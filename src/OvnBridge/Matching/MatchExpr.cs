using IoVisor.IoModules;

namespace IoVisor.OvnBridge.Matching;

/// <summary>A parsed OVN match expression (ovn-sb(5), "Logical_Flow TABLE": the subset ACLs use).</summary>
public abstract record MatchExpr;

public sealed record OrExpr(MatchExpr Left, MatchExpr Right) : MatchExpr;

public sealed record AndExpr(MatchExpr Left, MatchExpr Right) : MatchExpr;

public sealed record NotExpr(MatchExpr Operand) : MatchExpr;

/// <summary>The constants 1 (true) and 0 (false).</summary>
public sealed record ConstantExpr(bool Value) : MatchExpr;

/// <summary>A boolean field or predicate on its own: <c>ip4</c>, <c>tcp</c>, <c>ct.est</c>.</summary>
public sealed record FieldTest(string Field) : MatchExpr;

/// <summary><c>field op value</c>; a chained range <c>1000 &lt;= tcp.dst &lt;= 2000</c> parses into
/// two of these under an <see cref="AndExpr"/>.</summary>
public sealed record Comparison(string Field, Relop Op, MatchValue Value) : MatchExpr;

public enum Relop
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>The right-hand side of a comparison.</summary>
public abstract record MatchValue;

public sealed record IntegerValue(long Value) : MatchValue;

/// <summary>An address (a /32) or a network, written with a length or a contiguous mask.</summary>
public sealed record Ipv4Value(Ipv4Prefix Prefix) : MatchValue;

public sealed record Ipv6Value(string Text) : MatchValue;

public sealed record MacValue(MacAddress Mac) : MatchValue;

/// <summary>A quoted string: a logical port name.</summary>
public sealed record StringValue(string Value) : MatchValue;

/// <summary><c>$name</c>: an Address_Set, or the <c>$pg_ip4</c> set a Port_Group implies.</summary>
public sealed record AddressSetRef(string Name) : MatchValue;

/// <summary><c>@name</c>: a Port_Group.</summary>
public sealed record PortGroupRef(string Name) : MatchValue;

/// <summary><c>{a, b, ...}</c>: matches when the field equals any of them.</summary>
public sealed record SetValue(IReadOnlyList<MatchValue> Items) : MatchValue;

/// <summary>A value masked with something other than a prefix length (<c>0x50/0xfff0</c>).</summary>
public sealed record MaskedValue(string Text) : MatchValue;
