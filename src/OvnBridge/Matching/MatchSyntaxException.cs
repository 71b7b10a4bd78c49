namespace IoVisor.OvnBridge.Matching;

/// <summary>The match is not valid OVN syntax, or uses what the translation cannot express; the
/// message says what and where.</summary>
public sealed class MatchSyntaxException(string message) : Exception(message);
