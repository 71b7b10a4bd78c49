// Maps of every kind the binding tests use, and XDP programs that touch them.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Per first packet byte: how many packets started with it.
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} slots SEC(".maps");

// A 4-byte per-CPU value: the kernel pads each CPU's slot to 8 bytes.
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} percpu_hits SEC(".maps");

// Egress ports by index; the kernel marks devmaps read-only for programs.
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

// Counts the packet under its first byte; drops packets starting with 0xff.
SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 1 > data_end)
		return XDP_ABORTED;

	__u32 key = data[0];
	__u64 one = 1;
	__u64 *count = bpf_map_lookup_elem(&counters, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&counters, &key, &one, BPF_NOEXIST);

	__u32 zero = 0;
	__u32 *hits = bpf_map_lookup_elem(&percpu_hits, &zero);
	if (hits)
		*hits += 1;

	return data[0] == 0xff ? XDP_DROP : XDP_PASS;
}

// Overwrites the first byte with 0xab and bounces the frame.
SEC("xdp")
int xdp_rewrite(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + 1 > data_end)
		return XDP_ABORTED;
	data[0] = 0xab;
	return XDP_TX;
}

// Tail-calls slot 0 of jumps; passes when the slot is empty.
SEC("xdp")
int xdp_entry(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &jumps, 0);
	return XDP_PASS;
}

SEC("xdp")
int xdp_drop_all(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
