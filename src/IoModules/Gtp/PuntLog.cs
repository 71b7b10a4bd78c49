namespace IoVisor.IoModules.Gtp;

/// <summary>
/// The slow-path handler of a GTP matcher: every message punted (by a rule or the default action)
/// is summarised and kept, the last <see cref="Capacity"/> of them, in arrival order. Written on
/// the slow-path thread, read by the API.
/// </summary>
internal sealed class PuntLog(IModulePorts ports, RuleIds ids) : IModuleSlowPath
{
    public const int Capacity = 256;

    private readonly Lock _lock = new();
    private readonly Queue<PuntSummary> _recent = new(Capacity);
    private long _received;

    public IReadOnlyDictionary<uint, string> Reasons { get; } = new Dictionary<uint, string>
    {
        [GtpAbi.PuntRule] = PuntSummary.ReasonRule,
        [GtpAbi.PuntDefault] = PuntSummary.ReasonUnmatched,
    };

    public void Handle(PuntRecord punt, ISlowPath slowPath)
    {
        var ruleId = (uint)punt.Words[3];
        var rule = punt.Reason == GtpAbi.PuntRule ? ids.OwnerOf(ruleId)?.ToString() : null;
        var port = ports.NameOf(punt.Port) ?? punt.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_lock)
        {
            if (_recent.Count == Capacity)
            {
                _recent.Dequeue();
            }
            _recent.Enqueue(PuntSummary.Of(++_received, DateTimeOffset.UtcNow, punt, port, rule));
        }
    }

    public IReadOnlyList<PuntSummary> Recent()
    {
        lock (_lock)
        {
            return _recent.ToList();
        }
    }

    public bool Remove(long number)
    {
        lock (_lock)
        {
            var kept = _recent.Where(s => s.Number != number).ToList();
            if (kept.Count == _recent.Count)
            {
                return false;
            }
            _recent.Clear();
            kept.ForEach(_recent.Enqueue);
            return true;
        }
    }

    public int Clear()
    {
        lock (_lock)
        {
            var count = _recent.Count;
            _recent.Clear();
            return count;
        }
    }
}
