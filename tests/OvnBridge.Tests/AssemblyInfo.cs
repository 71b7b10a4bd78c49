// The end-to-end tests drive the kernel and a daemon, the OVN tier real servers: one at a time
// on a small machine, and the unit tests are quick either way.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
