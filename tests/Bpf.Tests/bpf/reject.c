// The verifier must reject this: a packet read without a bounds check.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_out_of_bounds(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	return data[100];
}

char LICENSE[] SEC("license") = "GPL";
