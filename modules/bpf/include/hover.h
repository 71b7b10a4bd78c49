/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The chain ABI. A module defines
 *
 *     static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md);
 *
 * returning one of enum hover_action, then includes "hover_module.h" which
 * wraps it into the program that sits in the patch panel. The module never
 * knows its neighbours: HOVER_FORWARD to md->out_port, and the framework looks
 * the peer up in hover_ports and redirects to a netdev or tail-calls the next
 * module. All maps here are shared, pinned under the daemon's bpffs root with
 * their own names.
 */
#ifndef HOVER_H
#define HOVER_H

#include "hook.h"
#include "trace.h"

enum hover_action {
	HOVER_DROP = 0,
	HOVER_PASS = 1,      /* to the kernel stack of the ingress netdev */
	HOVER_FORWARD = 2,   /* out of md->out_port */
	HOVER_PUNT = 3,      /* to the slow path with md->reason, then dropped */
	HOVER_REDIRECTED = 4, /* the module already called a redirect helper */
	HOVER_CONSUMED = 5    /* the module sent all copies it wanted; drop quietly */
};

/* The patch panel: one program array per hook (tail calls stay within a
 * program type), indexed by module. */
#if defined(HOVER_XDP)
#define HOVER_PROGS hover_progs_xdp
#else
#define HOVER_PROGS hover_progs_tc
#endif
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, HOVER_MAX_MODULES);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} HOVER_PROGS SEC(".maps");

#if defined(HOVER_XDP)
/* Output to netdevs from XDP. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, HOVER_MAX_NETDEVS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	/* Pinned by the daemon, not by name: libbpf 1.1 cannot reuse a pinned
	 * devmap (the kernel adds BPF_F_RDONLY_PROG to its flags). */
} hover_tx_xdp SEC(".maps");
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HOVER_MAX_GPORTS);
	__type(key, __u32);
	__type(value, struct hover_port);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hover_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HOVER_MAX_NETDEVS);
	__type(key, __u32);
	__type(value, struct hover_netdev);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hover_netdevs SEC(".maps");

/* A new name, not a new type under the old one: libbpf refuses a pin whose
 * type differs, and pins from older versions must keep loading. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HOVER_NETDEV_IX_SIZE);
	__type(key, __u32);
	__type(value, struct hover_netdev);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hover_netdev_ix SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HOVER_MAX_GPORTS);
	__type(key, __u32);
	__type(value, struct hover_port_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hover_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hover_md);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hover_md SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hover_punt SEC(".maps");

static __always_inline struct hover_md *hover_md_get(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&hover_md, &zero);
}

/* The module port netdev `ifindex` is linked to, or 0. */
static __always_inline struct hover_netdev *hover_netdev_of(__u32 ifindex)
{
	if (ifindex >= HOVER_NETDEV_IX_SIZE)
		return bpf_map_lookup_elem(&hover_netdevs, &ifindex);
	struct hover_netdev *nd = bpf_map_lookup_elem(&hover_netdev_ix, &ifindex);
	return nd && nd->module ? nd : 0;
}

static __always_inline struct hover_port_stats *hover_stats_of(__u32 module, __u32 port)
{
	__u32 g = HOVER_GPORT(module, port);
	return bpf_map_lookup_elem(&hover_stats, &g);
}

static __always_inline void hover_count_rx(hover_ctx *ctx, __u32 module, __u32 port)
{
	struct hover_port_stats *s = hover_stats_of(module, port);
	if (s) {
		s->rx_packets++;
		s->rx_bytes += hook_len(ctx);
	}
}

static __always_inline void hover_count_tx(hover_ctx *ctx, __u32 module, __u32 port)
{
	struct hover_port_stats *s = hover_stats_of(module, port);
	if (s) {
		s->tx_packets++;
		s->tx_bytes += hook_len(ctx);
	}
}

static __always_inline int hover_drop(struct hover_md *md, __u32 port)
{
	struct hover_port_stats *s = hover_stats_of(md->module, port);
	if (s)
		s->drops++;
	return HOOK_DROP;
}

static __always_inline struct hover_port *hover_port_of(__u32 module, __u32 port)
{
	if (module >= HOVER_MAX_MODULES || port >= HOVER_MAX_PORTS)
		return 0;
	__u32 g = HOVER_GPORT(module, port);
	return bpf_map_lookup_elem(&hover_ports, &g);
}

/* Redirect to a netdev: bpf_redirect for TC, the shared devmap for XDP. */
static __always_inline int hover_redirect_netdev(__u32 ifindex)
{
#if defined(HOVER_XDP)
	return bpf_redirect_map(&hover_tx_xdp, ifindex, XDP_DROP);
#else
	return bpf_redirect(ifindex, 0);
#endif
}

/* Enters `module` as if the packet arrived on its `port`. Returns only when
 * the tail call failed (empty slot). */
static __always_inline int hover_enter(hover_ctx *ctx, struct hover_md *md, __u32 module, __u32 port)
{
	if (module >= HOVER_MAX_MODULES || ++md->hops > HOVER_MAX_HOPS)
		return HOOK_DROP;
	md->module = module;
	md->in_port = port;
	hover_count_rx(ctx, module, port);
	HOVER_TRACE(ctx, md, HOVER_TRACE_RX, port, md->ifindex);
	bpf_tail_call(ctx, &HOVER_PROGS, module);
	return hover_drop(md, port);
}

/* Sends the packet out of `port` of the current module to its peer. */
static __always_inline int hover_output(hover_ctx *ctx, struct hover_md *md, __u32 port)
{
	struct hover_port *p = hover_port_of(md->module, port);
	if (!p || p->peer_kind == HOVER_PEER_NONE)
		return hover_drop(md, md->in_port);
	if (p->peer_kind == HOVER_PEER_NETDEV) {
		/* XDP falls back to a drop when the devmap lacks the netdev. */
		int rc = hover_redirect_netdev(p->ifindex);
		if (rc == HOOK_DROP)
			return hover_drop(md, port);
		hover_count_tx(ctx, md->module, port);
		HOVER_TRACE(ctx, md, HOVER_TRACE_FORWARD, port, p->ifindex);
		return rc;
	}
	hover_count_tx(ctx, md->module, port);
	HOVER_TRACE(ctx, md, HOVER_TRACE_FORWARD, port, 0);
	return hover_enter(ctx, md, p->peer_module, p->peer_port);
}

/* Copies the frame to the slow path with md's module, port and reason. */
static __always_inline void hover_punt_copy(hover_ctx *ctx, struct hover_md *md, __u32 port, __u32 reason)
{
	struct hover_punt *r = bpf_ringbuf_reserve(&hover_punt, sizeof(*r) + HOVER_PUNT_SNAP, 0);
	if (!r)
		return;
	__u32 len = hook_len(ctx);
	__u32 cap = len > HOVER_PUNT_SNAP ? HOVER_PUNT_SNAP : len;
	r->module = md->module;
	r->port = port;
	r->reason = reason;
	r->len = len;
	r->ifindex = md->ifindex;
	r->hook = HOVER_HOOK;
	r->pad = 0;
	r->words[0] = md->words[0];
	r->words[1] = md->words[1];
	r->words[2] = md->words[2];
	r->words[3] = md->words[3];
	/* Written so that the verifier sees 1 <= size <= HOVER_PUNT_SNAP (a power
	 * of two) on the register passed to the helper. */
	if (cap == 0 || hook_load_bytes(ctx, 0, (void *)(r + 1), ((cap - 1) & (HOVER_PUNT_SNAP - 1)) + 1) < 0)
		cap = 0;
	r->caplen = cap;
	bpf_ringbuf_submit(r, 0);
}

#endif
