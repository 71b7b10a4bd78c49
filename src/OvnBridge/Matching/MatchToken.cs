namespace IoVisor.OvnBridge.Matching;

internal enum TokenKind
{
    End,
    Identifier,
    Number,
    String,
    AddressSet,
    PortGroup,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    Comma,
    And,
    Or,
    Not,
    Relop,
}

/// <summary>A token and where it starts in the match (for messages).</summary>
internal readonly record struct MatchToken(TokenKind Kind, string Text, int Position, Relop Relop = Relop.Equal);
