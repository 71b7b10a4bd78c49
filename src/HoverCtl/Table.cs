using System.Globalization;
using System.Text.Json.Nodes;

namespace IoVisor.HoverCtl;

/// <summary>Rows under a header, written with each column as wide as its widest cell.</summary>
internal sealed class Table(params string[] headers)
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];

    public Table Add(params object?[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"{cells.Length} cells for {headers.Length} columns", nameof(cells));
        }
        _rows.Add(cells.Select(Cell).ToArray());
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        foreach (var row in _rows.Prepend(headers))
        {
            writer.WriteLine(string.Join(Gap, row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>How a value reads in a cell: strings bare, JSON compact, nothing as "-".</summary>
    public static string Cell(object? value) => value switch
    {
        null => "-",
        string s => s,
        bool b => b ? "yes" : "no",
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonNode node => node.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
