// Ceiling: the least an XDP program can do to forward, one redirect to the egress veth.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ceiling_tx SEC(".maps");

SEC("xdp")
int ceiling_xdp(struct xdp_md *ctx)
{
	return bpf_redirect_map(&ceiling_tx, 0, 0);
}

char _license[] SEC("license") = "Dual BSD/GPL";
