// Copies the first RECORD_SIZE bytes of each packet into a ring buffer record.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define RECORD_SIZE 16

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int xdp_report(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	if (data + RECORD_SIZE > data_end)
		return XDP_PASS;

	unsigned char *record = bpf_ringbuf_reserve(&events, RECORD_SIZE, 0);
	if (!record)
		return XDP_PASS;
	__builtin_memcpy(record, data, RECORD_SIZE);
	bpf_ringbuf_submit(record, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
