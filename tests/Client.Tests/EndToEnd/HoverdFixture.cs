namespace IoVisor.Client.Tests.EndToEnd;

/// <summary>One daemon and one veth pair shared by the end-to-end tests of a class; each test uses its own module names.</summary>
public sealed class HoverdFixture : IAsyncLifetime
{
    private Hoverd? _hoverd;
    private VethPair? _veths;

    public Hoverd Hoverd => _hoverd ?? throw new InvalidOperationException("hoverd not started");

    public VethPair Veths => _veths ?? throw new InvalidOperationException("veths not made");

    public async Task InitializeAsync()
    {
        _hoverd = await Hoverd.StartAsync();
        _veths = await VethPair.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_hoverd is not null)
        {
            await _hoverd.DisposeAsync();
        }
        _veths?.Dispose();
    }
}
