namespace IoVisor.OvnBridge.Matching;

/// <summary>Splits a match into tokens. A constant (integer, IPv4 or IPv6 address, MAC, each with
/// an optional /mask) is one <see cref="TokenKind.Number"/> token, classified by the parser.</summary>
internal static class MatchLexer
{
    public static List<MatchToken> Tokenize(string text)
    {
        var tokens = new List<MatchToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i == text.Length)
            {
                tokens.Add(new MatchToken(TokenKind.End, "", i));
                return tokens;
            }
            var start = i;
            var c = text[i];
            switch (c)
            {
                case '(':
                    tokens.Add(new MatchToken(TokenKind.LeftParen, "(", i++));
                    continue;
                case ')':
                    tokens.Add(new MatchToken(TokenKind.RightParen, ")", i++));
                    continue;
                case '{':
                    tokens.Add(new MatchToken(TokenKind.LeftBrace, "{", i++));
                    continue;
                case '}':
                    tokens.Add(new MatchToken(TokenKind.RightBrace, "}", i++));
                    continue;
                case ',':
                    tokens.Add(new MatchToken(TokenKind.Comma, ",", i++));
                    continue;
                case '"':
                    tokens.Add(new MatchToken(TokenKind.String, ReadString(text, ref i), start));
                    continue;
                case '$' or '@':
                    i++;
                    var name = ReadWhile(text, ref i, IsNameChar);
                    if (name.Length == 0)
                    {
                        throw new MatchSyntaxException($"'{c}' at {start} must be followed by a name");
                    }
                    tokens.Add(new MatchToken(c == '$' ? TokenKind.AddressSet : TokenKind.PortGroup, name, start));
                    continue;
            }
            if (TwoCharOperator(text, i) is { } op)
            {
                tokens.Add(op);
                i += 2;
                continue;
            }
            switch (c)
            {
                case '!':
                    tokens.Add(new MatchToken(TokenKind.Not, "!", i++));
                    continue;
                case '<':
                    tokens.Add(new MatchToken(TokenKind.Relop, "<", i++, Relop.Less));
                    continue;
                case '>':
                    tokens.Add(new MatchToken(TokenKind.Relop, ">", i++, Relop.Greater));
                    continue;
            }
            if (char.IsAsciiDigit(c) || (char.IsAsciiHexDigit(c) && LooksLikeIpv6(text, i)))
            {
                tokens.Add(new MatchToken(TokenKind.Number, ReadConstant(text, ref i), start));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                tokens.Add(new MatchToken(TokenKind.Identifier, ReadWhile(text, ref i, IsFieldChar), start));
                continue;
            }
            throw new MatchSyntaxException($"unexpected '{c}' at {start}");
        }
    }

    private static MatchToken? TwoCharOperator(string text, int i)
    {
        if (i + 1 >= text.Length)
        {
            return null;
        }
        return text.Substring(i, 2) switch
        {
            "&&" => new MatchToken(TokenKind.And, "&&", i),
            "||" => new MatchToken(TokenKind.Or, "||", i),
            "==" => new MatchToken(TokenKind.Relop, "==", i, Relop.Equal),
            "!=" => new MatchToken(TokenKind.Relop, "!=", i, Relop.NotEqual),
            "<=" => new MatchToken(TokenKind.Relop, "<=", i, Relop.LessOrEqual),
            ">=" => new MatchToken(TokenKind.Relop, ">=", i, Relop.GreaterOrEqual),
            _ => null,
        };
    }

    private static string ReadString(string text, ref int i)
    {
        var start = i++;
        var value = new System.Text.StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }
            value.Append(text[i++]);
        }
        if (i == text.Length)
        {
            throw new MatchSyntaxException($"the string starting at {start} is not closed");
        }
        i++;
        return value.ToString();
    }

    private static string ReadConstant(string text, ref int i)
    {
        var start = i;
        ReadWhile(text, ref i, ch => char.IsAsciiHexDigit(ch) || ch is '.' or ':' or 'x' or 'X');
        if (i < text.Length && text[i] == '/')
        {
            i++;
            ReadWhile(text, ref i, ch => char.IsAsciiHexDigit(ch) || ch is '.' or ':' or 'x' or 'X');
        }
        return text[start..i];
    }

    // An IPv6 address may start with a letter (fe80::1); a field name never holds ':'.
    private static bool LooksLikeIpv6(string text, int i)
    {
        var j = i;
        while (j < text.Length && char.IsAsciiHexDigit(text[j]))
        {
            j++;
        }
        return j < text.Length && text[j] == ':';
    }

    private static string ReadWhile(string text, ref int i, Func<char, bool> accept)
    {
        var start = i;
        while (i < text.Length && accept(text[i]))
        {
            i++;
        }
        return text[start..i];
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    private static bool IsFieldChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.';
}
