// The receiver's end of the traffic loop. The generator is a population of frames going round:
// userspace sends a few seeds into the sender's veth; each frame that reaches the receiver is
// counted and, while gen_budget lasts, written over with the template (and with a spread in
// gen_flows made a flow of its own) and redirected into the sender's veth again. No frame is
// copied and none waits for userspace, so the loop runs as fast as the device under test lets it.
// Not BPF_PROG_TEST_RUN with live frames, which the kernel of this machine refuses (EPERM).
// pass_xdp gives a veth NAPI (frames redirected into a veth are dropped unless its peer has an
// XDP program or GRO).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sink_count SEC(".maps");

// Frames that may still go round; at 0 or less the sink drops what arrives.
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __s64);
} gen_budget SEC(".maps");

// Slot 0: the sender's veth.
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} gen_return SEC(".maps");

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

// How frame n differs from the template: always its source port, 1024 + n % FLOW_PORTS; and
// every FLOW_PORTS frames, the source host (for balancers, which keep the source) or the
// destination port (for source NAT: with one external address, the source ports to one
// destination run out after FLOW_PORTS flows).
enum spread {
	SPREAD_NONE,
	SPREAD_SOURCE_HOST,
	SPREAD_DESTINATION_PORT,
};

struct flow_spread {
	__u32 spread;
	__u32 pad;
	// Never reset: flows are new across runs and rounds too.
	__u64 next;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct flow_spread);
} gen_flows SEC(".maps");

#define IP_OFF 14
#define UDP_OFF (IP_OFF + 20)
#define FLOW_PORTS (65536 - 1024)
#define FLOW_HOSTS 250
#define FLOW_DPORTS 1000

// Source host: the template's /24 with host 1 + k % FLOW_HOSTS; destination port: the
// template's + k % FLOW_DPORTS. The IPv4 header checksum is computed afresh; the UDP checksum
// stays 0 (none).
static __always_inline void new_flow(unsigned char *data, __u64 n, __u32 spread)
{
	__u16 sport = 1024 + n % FLOW_PORTS;
	__u64 k = n / FLOW_PORTS;
	data[UDP_OFF] = sport >> 8;
	data[UDP_OFF + 1] = sport & 0xff;
	if (spread == SPREAD_DESTINATION_PORT) {
		__u16 dport = ((data[UDP_OFF + 2] << 8) | data[UDP_OFF + 3]) + k % FLOW_DPORTS;
		data[UDP_OFF + 2] = dport >> 8;
		data[UDP_OFF + 3] = dport & 0xff;
		return;
	}
	data[IP_OFF + 15] = 1 + k % FLOW_HOSTS;
	data[IP_OFF + 10] = 0;
	data[IP_OFF + 11] = 0;
	__u32 sum = 0;
#pragma unroll
	for (int i = 0; i < 20; i += 2)
		sum += (data[IP_OFF + i] << 8) | data[IP_OFF + i + 1];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	data[IP_OFF + 10] = ~sum >> 8;
	data[IP_OFF + 11] = ~sum & 0xff;
}

SEC("xdp")
int sink_xdp(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&sink_count, &zero);
	if (n)
		*n += 1;
	__s64 *budget = bpf_map_lookup_elem(&gen_budget, &zero);
	if (!budget || *budget <= 0 || __sync_fetch_and_add(budget, -1) <= 0)
		return XDP_DROP;
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + TEMPLATE_LEN > end)
		return XDP_DROP;
	struct frame_template *t = bpf_map_lookup_elem(&gen_template, &zero);
	if (!t)
		return XDP_DROP;
	__builtin_memcpy(data, t->bytes, TEMPLATE_LEN);
	struct flow_spread *f = bpf_map_lookup_elem(&gen_flows, &zero);
	if (f && f->spread != SPREAD_NONE)
		new_flow(data, __sync_fetch_and_add(&f->next, 1), f->spread);
	return bpf_redirect_map(&gen_return, 0, 0);
}

SEC("xdp")
int pass_xdp(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
