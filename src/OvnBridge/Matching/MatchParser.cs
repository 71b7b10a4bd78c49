using System.Globalization;
using IoVisor.IoModules;

namespace IoVisor.OvnBridge.Matching;

/// <summary>
/// Parses an OVN match into a <see cref="MatchExpr"/>: <c>||</c>, <c>&amp;&amp;</c>, <c>!</c> (tightest),
/// parentheses, boolean fields (<c>ip4</c>, <c>ct.est</c>), comparisons <c>field op value</c> with
/// <c>== != &lt; &lt;= &gt; &gt;=</c>, chained ranges <c>a &lt;= field &lt;= b</c>, and values that are integers,
/// IPv4 addresses and networks, MACs, quoted port names, <c>$address_set</c>, <c>@port_group</c> and
/// <c>{sets, of, them}</c>. Throws <see cref="MatchSyntaxException"/> naming the position.
/// </summary>
public sealed class MatchParser
{
    private readonly List<MatchToken> tokens;
    private int next;

    private MatchParser(string text) => tokens = MatchLexer.Tokenize(text);

    public static MatchExpr Parse(string text)
    {
        var parser = new MatchParser(text);
        var expr = parser.ParseOr();
        if (parser.Peek.Kind != TokenKind.End)
        {
            throw new MatchSyntaxException($"unexpected '{parser.Peek.Text}' at {parser.Peek.Position}");
        }
        return expr;
    }

    private MatchToken Peek => tokens[next];

    private MatchToken Take() => tokens[next++];

    private MatchToken Expect(TokenKind kind, string what)
    {
        var token = Take();
        return token.Kind == kind
            ? token
            : throw new MatchSyntaxException($"expected {what} at {token.Position}, found {Describe(token)}");
    }

    private MatchExpr ParseOr()
    {
        var left = ParseAnd();
        while (Peek.Kind == TokenKind.Or)
        {
            Take();
            left = new OrExpr(left, ParseAnd());
        }
        return left;
    }

    private MatchExpr ParseAnd()
    {
        var left = ParseUnary();
        while (Peek.Kind == TokenKind.And)
        {
            Take();
            left = new AndExpr(left, ParseUnary());
        }
        return left;
    }

    private MatchExpr ParseUnary()
    {
        if (Peek.Kind == TokenKind.Not)
        {
            Take();
            return new NotExpr(ParseUnary());
        }
        return ParsePrimary();
    }

    private MatchExpr ParsePrimary()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.LeftParen:
                Take();
                var inner = ParseOr();
                Expect(TokenKind.RightParen, "')'");
                return inner;
            case TokenKind.Identifier:
                Take();
                if (Peek.Kind != TokenKind.Relop)
                {
                    return token.Text is "true" or "false" ? new ConstantExpr(token.Text == "true") : new FieldTest(token.Text);
                }
                var op = Take().Relop;
                return new Comparison(token.Text, op, ParseValue());
            case TokenKind.End:
                throw new MatchSyntaxException($"the match ends where an expression was expected (at {token.Position})");
            default:
                return ParseConstantFirst();
        }
    }

    /// <summary><c>1</c>, <c>0</c>, or <c>value op field [op value]</c>.</summary>
    private MatchExpr ParseConstantFirst()
    {
        var start = Peek;
        var value = ParseValue();
        if (Peek.Kind != TokenKind.Relop)
        {
            return value is IntegerValue { Value: 0 or 1 } b
                ? new ConstantExpr(b.Value == 1)
                : throw new MatchSyntaxException($"expected a comparison after '{start.Text}' at {start.Position}");
        }
        var op = Take().Relop;
        var field = Expect(TokenKind.Identifier, "a field").Text;
        var left = new Comparison(field, Mirror(op), value);
        if (Peek.Kind != TokenKind.Relop)
        {
            return left;
        }
        var second = Take();
        if (!IsOrdering(op) || !IsOrdering(second.Relop) || IsLess(op) != IsLess(second.Relop))
        {
            throw new MatchSyntaxException($"a range at {start.Position} must read 'a < field < b' or 'a > field > b'");
        }
        return new AndExpr(left, new Comparison(field, second.Relop, ParseValue()));
    }

    private MatchValue ParseValue()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return ParseConstant(token);
            case TokenKind.String:
                return new StringValue(token.Text);
            case TokenKind.AddressSet:
                return new AddressSetRef(token.Text);
            case TokenKind.PortGroup:
                return new PortGroupRef(token.Text);
            case TokenKind.LeftBrace:
                var items = new List<MatchValue>();
                while (true)
                {
                    var item = ParseValue();
                    if (item is SetValue)
                    {
                        throw new MatchSyntaxException($"a set at {token.Position} holds another set");
                    }
                    items.Add(item);
                    var separator = Take();
                    if (separator.Kind == TokenKind.RightBrace)
                    {
                        return new SetValue(items);
                    }
                    if (separator.Kind != TokenKind.Comma)
                    {
                        throw new MatchSyntaxException($"expected ',' or '}}' at {separator.Position}, found {Describe(separator)}");
                    }
                    // OVN accepts a trailing comma: {1, 2, }
                    if (Peek.Kind == TokenKind.RightBrace)
                    {
                        Take();
                        return new SetValue(items);
                    }
                }
            default:
                throw new MatchSyntaxException($"expected a value at {token.Position}, found {Describe(token)}");
        }
    }

    private static MatchValue ParseConstant(MatchToken token)
    {
        var text = token.Text;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var body = slash < 0 ? text : text[..slash];
        var mask = slash < 0 ? null : text[(slash + 1)..];
        if (body.Count(c => c == ':') == 5 && MacAddress.TryParse(body, out var mac))
        {
            return mask is null ? new MacValue(mac) : new MaskedValue(text);
        }
        if (body.Contains(':', StringComparison.Ordinal))
        {
            return new Ipv6Value(text);
        }
        if (body.Contains('.', StringComparison.Ordinal))
        {
            if (!Ipv4Address.TryParse(body, out var address))
            {
                throw new MatchSyntaxException($"'{text}' at {token.Position} is not an IPv4 address");
            }
            var length = mask is null ? 32 : PrefixLength(mask, token);
            if ((address.Value & ~Ipv4Prefix.MaskOf(length)) != 0)
            {
                throw new MatchSyntaxException($"'{text}' at {token.Position} has host bits set beyond its mask");
            }
            return new Ipv4Value(new Ipv4Prefix(address, length));
        }
        if (mask is not null)
        {
            return new MaskedValue(text);
        }
        return TryInteger(body, out var value)
            ? new IntegerValue(value)
            : throw new MatchSyntaxException($"'{text}' at {token.Position} is not a number");
    }

    private static int PrefixLength(string mask, MatchToken token)
    {
        if (int.TryParse(mask, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length <= 32)
        {
            return length;
        }
        if (Ipv4Address.TryParse(mask, out var m))
        {
            var bits = System.Numerics.BitOperations.PopCount(m.Value);
            if (Ipv4Prefix.MaskOf(bits) == m.Value)
            {
                return bits;
            }
        }
        throw new MatchSyntaxException($"'{token.Text}' at {token.Position} has a mask that is not a prefix");
    }

    private static bool TryInteger(string text, out long value) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool IsOrdering(Relop op) => op is Relop.Less or Relop.LessOrEqual or Relop.Greater or Relop.GreaterOrEqual;

    private static bool IsLess(Relop op) => op is Relop.Less or Relop.LessOrEqual;

    // "5 < x" is "x > 5".
    private static Relop Mirror(Relop op) => op switch
    {
        Relop.Less => Relop.Greater,
        Relop.LessOrEqual => Relop.GreaterOrEqual,
        Relop.Greater => Relop.Less,
        Relop.GreaterOrEqual => Relop.LessOrEqual,
        _ => op,
    };

    private static string Describe(MatchToken token) => token.Kind == TokenKind.End ? "the end" : $"'{token.Text}'";
}
