// A map libbpf pins by name under the object's pin root (only ever opened with a
// per-test PinRoot, so nothing lands in /sys/fs/bpf itself).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_by_name SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
