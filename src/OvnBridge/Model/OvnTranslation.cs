namespace IoVisor.OvnBridge.Model;

/// <summary>The result of translating the databases: the graph, every row left out with its
/// reason, and counts.</summary>
public sealed record OvnTranslation(DesiredGraph Graph, IReadOnlyList<UntranslatedRow> Untranslated, TranslationCounts Counts);
