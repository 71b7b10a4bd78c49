using System.Runtime.InteropServices;

namespace IoVisor.Bpf.Interop;

// The only place that calls libbpf. Names are libbpf's own so its documentation applies
// verbatim. In libbpf >= 1.0 int-returning calls return -errno (and also set errno);
// pointer-returning calls return NULL and set errno. Strings libbpf returns are borrowed
// (nint here), never freed by the marshaller.
internal static unsafe partial class LibBpf
{
    private const string Library = "libbpf.so.1";

    // --- objects -------------------------------------------------------------------------

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint bpf_object__open_file(string path, BpfObjectOpenOpts* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint bpf_object__open_mem(void* objBuf, nuint objBufSize, BpfObjectOpenOpts* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_object__load(nint obj);

    [LibraryImport(Library)]
    internal static partial void bpf_object__close(nint obj);

    [LibraryImport(Library)]
    internal static partial nint bpf_object__name(nint obj);

    [LibraryImport(Library)]
    internal static partial nint bpf_object__next_map(nint obj, nint previous);

    [LibraryImport(Library)]
    internal static partial nint bpf_object__next_program(nint obj, nint previous);

    [LibraryImport(Library)]
    internal static partial nint bpf_object__btf(nint obj);

    [LibraryImport(Library)]
    internal static partial void* btf__raw_data(nint btf, uint* size);

    // --- programs ------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial nint bpf_program__name(nint prog);

    [LibraryImport(Library)]
    internal static partial int bpf_program__fd(nint prog);

    [LibraryImport(Library)]
    internal static partial uint bpf_program__type(nint prog);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_program__set_log_level(nint prog, uint logLevel);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_program__set_log_buf(nint prog, byte* logBuf, nuint logSize);

    // --- maps (object view) --------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial nint bpf_map__name(nint map);

    [LibraryImport(Library)]
    internal static partial int bpf_map__fd(nint map);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__type(nint map);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__key_size(nint map);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__value_size(nint map);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__max_entries(nint map);

    [LibraryImport(Library)]
    internal static partial int bpf_map__set_max_entries(nint map, uint maxEntries);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__btf_key_type_id(nint map);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__btf_value_type_id(nint map);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int bpf_map__set_pin_path(nint map, string? path);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map__reuse_fd(nint map, int fd);

    // --- maps (fd level) -----------------------------------------------------------------

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_lookup_elem(int fd, void* key, void* value);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_update_elem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_delete_elem(int fd, void* key);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_get_next_key(int fd, void* key, void* nextKey);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_lookup_batch(int fd, void* inBatch, void* outBatch, void* keys, void* values, uint* count, BpfMapBatchOpts* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_update_batch(int fd, void* keys, void* values, uint* count, BpfMapBatchOpts* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_delete_batch(int fd, void* keys, uint* count, BpfMapBatchOpts* opts);

    // --- bpffs and info ------------------------------------------------------------------

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int bpf_obj_pin(int fd, string path);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int bpf_obj_get(string path);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_obj_get_info_by_fd(int fd, void* info, uint* infoLen);

    // --- attach --------------------------------------------------------------------------

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_xdp_attach(int ifindex, int progFd, uint flags, void* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_xdp_detach(int ifindex, uint flags, void* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_xdp_query_id(int ifindex, int flags, uint* progId);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_tc_hook_create(BpfTcHook* hook);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_tc_attach(BpfTcHook* hook, BpfTcOpts* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_tc_detach(BpfTcHook* hook, BpfTcOpts* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_tc_query(BpfTcHook* hook, BpfTcOpts* opts);

    // --- ring buffer ---------------------------------------------------------------------

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint ring_buffer__new(int mapFd, delegate* unmanaged<nint, void*, nuint, int> sampleCallback, nint context, void* opts);

    [LibraryImport(Library)]
    internal static partial void ring_buffer__free(nint ringBuffer);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int ring_buffer__poll(nint ringBuffer, int timeoutMs);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int ring_buffer__consume(nint ringBuffer);

    [LibraryImport(Library)]
    internal static partial int ring_buffer__epoll_fd(nint ringBuffer);

    // --- test run, probes, misc ----------------------------------------------------------

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_prog_test_run_opts(int progFd, BpfTestRunOpts* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int libbpf_probe_bpf_map_type(uint mapType, void* opts);

    [LibraryImport(Library)]
    internal static partial int libbpf_num_possible_cpus();

    [LibraryImport(Library)]
    internal static partial int libbpf_strerror(int err, byte* buf, nuint size);

    [LibraryImport(Library)]
    internal static partial nint libbpf_set_print(delegate* unmanaged<int, nint, nint, int> printFn);
}
