// Traffic generator: run with BPF_PROG_TEST_RUN + BPF_F_TEST_XDP_LIVE_FRAMES in the sender
// namespace. Live-frame pages are recycled without being restored, so every frame gets the
// template headers written again before it is redirected out of the sender's veth.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TEMPLATE_LEN 64

struct frame_template {
	unsigned char bytes[TEMPLATE_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct frame_template);
} gen_template SEC(".maps");

// Slot 0: the sender's veth.
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} gen_tx SEC(".maps");

SEC("xdp")
int gen_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 zero = 0;
	if (data + TEMPLATE_LEN > end)
		return XDP_ABORTED;
	struct frame_template *t = bpf_map_lookup_elem(&gen_template, &zero);
	if (!t)
		return XDP_ABORTED;
	__builtin_memcpy(data, t->bytes, TEMPLATE_LEN);
	return bpf_redirect_map(&gen_tx, 0, 0);
}

char _license[] SEC("license") = "Dual BSD/GPL";
