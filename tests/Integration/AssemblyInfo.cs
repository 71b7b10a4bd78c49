using Xunit;

// Every test drives the kernel (namespaces, veths, pinned BPF objects) and a daemon process:
// on a 2-core machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
