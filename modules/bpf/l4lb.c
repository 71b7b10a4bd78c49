/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * L4 load balancer: a bump in the wire between a front port (the clients' side) and a back port
 * (the servers' side). Frames cross unchanged unless they go to a virtual service vip:port/proto
 * (lb_services) from the front:
 *  - a connection already tracked (lb_ct) keeps the backend it was given, which its ct entry
 *    holds whole (struct lb_flow), so changes to the pool never move an open connection;
 *  - a new one gets the backend of its 5-tuple's slot in the service's Maglev table (built by
 *    the daemon; lb_maglev → lb_backends) and is tracked; no usable backend: dropped, counted;
 *  - DNAT: the destination address and port become the backend's, and replies crossing from the
 *    back get the VIP back as their source; DSR: only the destination MAC becomes the backend's
 *    (which owns the VIP), and replies are left alone.
 */
#include <linux/in.h>
#include "include/hover.h"
#include "include/parse.h"
#include "include/conntrack.h"
#include "include/rewrite.h"
#include "include/l4lb_types.h"

_Static_assert(sizeof(struct lb_flow) == sizeof(((struct ct_entry *)0)->data), "an lb_flow is a ct_entry's data");

CT_MAPS(lb);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lb_config);
} lb_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LB_MAX_SERVICES);
	__type(key, struct lb_service_key);
	__type(value, struct lb_service);
} lb_services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LB_MAGLEV_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} lb_maglev SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LB_MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct lb_backend);
} lb_backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LB_MAX_SERVICES);
	__type(key, __u32);
	__type(value, struct lb_service_stats);
} lb_stats SEC(".maps");

static __always_inline __u32 lb_rol32(__u32 w, int s)
{
	return (w << s) | (w >> (32 - s));
}

/* The flow's Maglev slot: Jenkins' lookup3 final mix over the 5-tuple (the kernel's
 * jhash_3words). Computed here rather than taken from the skb, which XDP does not have: the
 * same flow must land on the same slot in both hooks. */
static __always_inline __u32 lb_hash(const struct ct_key *k)
{
	__u32 init = 0xdeadbeef + (3 << 2) + k->proto;
	__u32 a = k->saddr + init;
	__u32 b = k->daddr + init;
	__u32 c = (((__u32)k->sport << 16) | k->dport) + init;
	c ^= b; c -= lb_rol32(b, 14);
	a ^= c; a -= lb_rol32(c, 11);
	b ^= a; b -= lb_rol32(a, 25);
	c ^= b; c -= lb_rol32(b, 16);
	a ^= c; a -= lb_rol32(c, 4);
	b ^= a; b -= lb_rol32(a, 14);
	c ^= b; c -= lb_rol32(b, 24);
	return c;
}

/* Picks the backend of a new connection to svc and tracks it. Returns 0, or -1 when the service
 * has no usable backend or the connection table refused the flow (its reply key taken). */
static __always_inline int lb_open(const struct ct_packet *p, const struct lb_service *svc, struct lb_flow *flow, __u64 now)
{
	if (!svc->table_size || svc->table_size > LB_MAGLEV_STRIDE)
		return -1;
	__u32 at = svc->index * LB_MAGLEV_STRIDE + lb_hash(&p->key) % svc->table_size;
	__u32 *id = bpf_map_lookup_elem(&lb_maglev, &at);
	if (!id || !*id)
		return -1;
	struct lb_backend *be = bpf_map_lookup_elem(&lb_backends, id);
	if (!be || !be->addr)
		return -1;
	flow->backend_addr = be->addr;
	flow->backend_port = be->port;
	__builtin_memcpy(flow->backend_mac, be->mac, ETH_ALEN);
	flow->service = svc->index;
	flow->mode = svc->mode;

	/* DSR replies leave from the VIP and never need translating: their key is the original
	 * reversed, which no other connection can hold. */
	struct ct_key reply;
	ct_reverse(&p->key, &reply);
	if (flow->mode == LB_MODE_DNAT) {
		reply.saddr = flow->backend_addr;
		reply.sport = flow->backend_port;
	}
	__u32 data[4];
	__builtin_memcpy(data, flow, sizeof(data));
	return ct_create(&lb_ct, &lb_ct_reply, &p->key, &reply, p, data, now);
}

/* Sends a client's packet to its backend. Returns 0, or -1 when the frame could not be rewritten. */
static __always_inline int lb_steer(hover_ctx *ctx, struct ethhdr *eth, const struct ct_packet *p, const struct lb_flow *flow)
{
	if (flow->mode == LB_MODE_DSR) {
		__builtin_memcpy(eth->h_dest, flow->backend_mac, ETH_ALEN);
		return 0;
	}
	if (rw_addr(ctx, p->l3off, p->l4off, p->key.proto, 1, p->key.daddr, flow->backend_addr))
		return -1;
	if (flow->backend_port != p->key.dport &&
	    rw_port(ctx, p->l4off, p->key.proto, 1, p->key.dport, flow->backend_port))
		return -1;
	return 0;
}

/* From the clients. Returns 0 to forward, -1 to drop. */
static __always_inline int lb_front(hover_ctx *ctx, struct ethhdr *eth, const struct ct_packet *p)
{
	struct lb_service_key sk = { .vip = p->key.daddr, .port = p->key.dport, .proto = p->key.proto };
	struct lb_service *svc = bpf_map_lookup_elem(&lb_services, &sk);
	if (!svc)
		return 0;
	__u32 index = svc->index;
	struct lb_service_stats *st = bpf_map_lookup_elem(&lb_stats, &index);
	__u64 now = ct_now();
	struct ct_key orig;
	int dir;
	struct ct_entry *e = ct_lookup_live(&lb_ct, &lb_ct_reply, &lb_ct_cfg, &p->key, &orig, &dir, now);
	/* A closed connection whose ports a new one reuses is balanced afresh, so that a drained
	 * backend is not handed new connections through old 5-tuples. */
	if (e && dir == CT_ORIG && e->tcp_state == CT_TCP_CLOSE &&
	    (p->tcp_flags & (CT_TCP_SYN | CT_TCP_ACK)) == CT_TCP_SYN) {
		ct_delete(&lb_ct, &lb_ct_reply, &orig, e);
		e = 0;
	}
	struct lb_flow flow;
	if (e) {
		if (dir != CT_ORIG)
			return 0;
		ct_account(e, dir, p, now);
		__builtin_memcpy(&flow, e->data, sizeof(flow));
	} else if (lb_open(p, svc, &flow, now)) {
		if (st)
			st->no_backend++;
		return -1;
	} else if (st) {
		st->flows++;
	}
	if (st) {
		st->packets++;
		st->bytes += p->len;
	}
	return lb_steer(ctx, eth, p, &flow);
}

/* From the servers: replies of DNAT connections leave from the VIP again. Returns 0 to
 * forward, -1 to drop. */
static __always_inline int lb_back(hover_ctx *ctx, const struct ct_packet *p)
{
	__u64 now = ct_now();
	struct ct_key orig;
	int dir;
	struct ct_entry *e = ct_lookup_live(&lb_ct, &lb_ct_reply, &lb_ct_cfg, &p->key, &orig, &dir, now);
	if (!e || dir != CT_REPLY)
		return 0;
	ct_account(e, dir, p, now);
	if (((struct lb_flow *)e->data)->mode != LB_MODE_DNAT)
		return 0;
	if (rw_addr(ctx, p->l3off, p->l4off, p->key.proto, 0, p->key.saddr, orig.daddr))
		return -1;
	if (p->key.sport != orig.dport && rw_port(ctx, p->l4off, p->key.proto, 0, p->key.sport, orig.dport))
		return -1;
	return 0;
}

static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
{
	__u32 zero = 0;
	struct lb_config *cfg = bpf_map_lookup_elem(&lb_cfg, &zero);
	if (!cfg)
		return HOVER_DROP;
	__u32 in = md->in_port;
	int front = in == cfg->front_port;
	if (!front && in != cfg->back_port)
		return HOVER_DROP;
	__u32 out = front ? cfg->back_port : cfg->front_port;
	if (out == LB_PORT_NONE)
		return HOVER_DROP;
	md->out_port = out;

	struct cursor c;
	struct ethhdr *eth;
	__u16 vid;
	cursor_init(&c, ctx);
	if (parse_l2(&c, &eth, &vid) != bpf_htons(ETH_P_IP))
		return HOVER_FORWARD;
	struct iphdr *ip = parse_iphdr(&c);
	if (!ip || ip->version != 4)
		return HOVER_FORWARD;
	/* Fragments after the first, ICMP (errors included) and other protocols are not
	 * balanced: they go through as they are. */
	struct ct_packet p;
	if (ct_parse(ctx, &c, ip, &p) || p.related || (p.key.proto != IPPROTO_TCP && p.key.proto != IPPROTO_UDP))
		return HOVER_FORWARD;
	int rc = front ? lb_front(ctx, eth, &p) : lb_back(ctx, &p);
	return rc ? HOVER_DROP : HOVER_FORWARD;
}

#include "include/hover_module.h"
