using System.Text.Json;

namespace IoVisor.HoverCtl;

/// <summary>Writes results as aligned tables for people or as the API's JSON for scripts (<c>-o json</c>).</summary>
internal sealed class Printer(TextWriter output, bool json)
{
    // Unlike requests, output keeps null fields: "peer": null tells a reader more than a missing key.
    private static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    public bool Json => json;

    public TextWriter Output => output;

    /// <summary><paramref name="value"/> as JSON, or <paramref name="tables"/> separated by blank lines.</summary>
    public void Print(object value, params Table[] tables)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Indented));
            return;
        }
        for (var i = 0; i < tables.Length; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }
            tables[i].WriteTo(output);
        }
    }

    /// <summary>One object per line, for streams (trace).</summary>
    public void PrintLine(object value) => output.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Compact));

    /// <summary>A confirmation for people; JSON output stays empty, as the API's 204 is.</summary>
    public void Done(string message)
    {
        if (!json)
        {
            output.WriteLine(message);
        }
    }
}
