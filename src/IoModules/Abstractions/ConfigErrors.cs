namespace IoVisor.IoModules;

/// <summary>A problem with one field of a request, named as a dotted path (config.agingSeconds).</summary>
public sealed record ConfigError(string Field, string Message);

/// <summary>Collects field errors while a config is validated.</summary>
public sealed class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];
    private readonly string _prefix;

    public ConfigErrors(string prefix = "") => _prefix = prefix;

    public IReadOnlyList<ConfigError> Items => _errors;

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message) =>
        _errors.Add(new ConfigError(_prefix.Length == 0 ? field : $"{_prefix}.{field}", message));

    public void AddRange(IEnumerable<ConfigError> errors) => _errors.AddRange(errors);

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new ConfigException(_errors);
        }
    }
}

/// <summary>Bad input: carries every field error; the API answers it with a 400 problem.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    public ConfigException(string field, string message) : this([new ConfigError(field, message)])
    {
    }
}
