/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A user-supplied module: counts IPv4 packets per source address in the map
 * src_count and forwards every frame from its port 0 to its port 1 and back
 * (ports are numbered in the order they were added).
 */
#include "hover.h"
#include "parse.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __be32);  /* IPv4 source address, network byte order */
	__type(value, __u64); /* packets */
} src_count SEC(".maps");

static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
{
	struct cursor c;
	struct ethhdr *eth;
	__u16 vid;

	cursor_init(&c, ctx);
	if (parse_l2(&c, &eth, &vid) == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = parse_iphdr(&c);
		if (ip) {
			__u64 one = 1, *count = bpf_map_lookup_elem(&src_count, &ip->saddr);
			if (count)
				__sync_fetch_and_add(count, 1);
			else
				bpf_map_update_elem(&src_count, &ip->saddr, &one, BPF_NOEXIST);
		}
	}
	md->out_port = md->in_port == 0 ? 1 : 0;
	return HOVER_FORWARD;
}

#include "hover_module.h"
