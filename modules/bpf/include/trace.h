/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Packet tracing. While nobody traces, the cost is one array lookup where a
 * packet enters the graph and one test of md->trace_id per hop. A packet that
 * matches the filter at its entry gets a trace id; each hop then writes an
 * event (module, port, verdict, time, the first bytes) into hover_trace.
 */
#ifndef HOVER_TRACE_H
#define HOVER_TRACE_H

#include <linux/in.h>
#include "parse.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hover_trace_cfg);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hover_trace_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hover_trace SEC(".maps");

static __always_inline int trace_addr_match(__be32 a, __be32 want, __be32 mask)
{
	return (a & mask) == want;
}

/* Whether the frame matches the filter of a running trace. */
static __always_inline int hover_trace_match(hover_ctx *ctx)
{
	__u32 zero = 0;
	struct hover_trace_cfg *cfg = bpf_map_lookup_elem(&hover_trace_cfg, &zero);
	if (!cfg || !cfg->enabled)
		return 0;
	__u32 f = cfg->fields;
	if (!f)
		return 1;
	struct cursor c;
	struct ethhdr *eth;
	__u16 vid;
	cursor_init(&c, ctx);
	if (parse_l2(&c, &eth, &vid) != bpf_htons(ETH_P_IP))
		return 0;
	struct iphdr *ip = parse_iphdr(&c);
	if (!ip)
		return 0;
	if ((f & HOVER_TRACE_F_SRC) && !trace_addr_match(ip->saddr, cfg->src, cfg->src_mask))
		return 0;
	if ((f & HOVER_TRACE_F_DST) && !trace_addr_match(ip->daddr, cfg->dst, cfg->dst_mask))
		return 0;
	if ((f & HOVER_TRACE_F_ADDR) && !trace_addr_match(ip->saddr, cfg->addr, cfg->addr_mask) &&
	    !trace_addr_match(ip->daddr, cfg->addr, cfg->addr_mask))
		return 0;
	if ((f & HOVER_TRACE_F_PROTO) && ip->protocol != cfg->proto)
		return 0;
	if (!(f & (HOVER_TRACE_F_SPORT | HOVER_TRACE_F_DPORT | HOVER_TRACE_F_PORT)))
		return 1;
	if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP)
		return 0;
	/* TCP and UDP both start with the two ports. */
	struct udphdr *l4 = parse_udphdr(&c);
	if (!l4)
		return 0;
	if ((f & HOVER_TRACE_F_SPORT) && l4->source != cfg->sport)
		return 0;
	if ((f & HOVER_TRACE_F_DPORT) && l4->dest != cfg->dport)
		return 0;
	if ((f & HOVER_TRACE_F_PORT) && l4->source != cfg->port && l4->dest != cfg->port)
		return 0;
	return 1;
}

static __always_inline void hover_trace_emit(hover_ctx *ctx, struct hover_md *md, __u32 verdict, __u32 port, __u32 ifindex)
{
	struct hover_trace_event *e = bpf_ringbuf_reserve(&hover_trace, sizeof(*e), 0);
	if (!e)
		return;
	__u32 len = hook_len(ctx);
	__u32 cap = len > HOVER_TRACE_SNAP ? HOVER_TRACE_SNAP : len;
	e->ts_ns = bpf_ktime_get_ns();
	e->trace_id = md->trace_id;
	e->module = md->module;
	e->port = port;
	e->verdict = verdict;
	e->hop = md->hops;
	e->len = len;
	e->ifindex = ifindex;
	/* 1 <= size <= HOVER_TRACE_SNAP for the verifier, as in hover_punt_copy. */
	if (cap == 0 || hook_load_bytes(ctx, 0, e->head, ((cap - 1) & (HOVER_TRACE_SNAP - 1)) + 1) < 0)
		cap = 0;
	e->caplen = cap;
	bpf_ringbuf_submit(e, 0);
}

#define HOVER_TRACE(ctx, md, verdict, port, ifindex)                           \
	do {                                                                   \
		if ((md)->trace_id)                                            \
			hover_trace_emit(ctx, md, verdict, port, ifindex);     \
	} while (0)

#endif
