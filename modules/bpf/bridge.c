/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Learning bridge with 802.1Q access and trunk ports.
 *
 * Inside the bridge a frame belongs to one VLAN. On egress each port either
 * takes it untagged (access port, or trunk native VLAN), tagged (trunk member)
 * or not at all. Flooding stays in the kernel:
 *  - TC: a copy per netdev port with bpf_clone_redirect, ports grouped by the
 *    tag state they want so that the frame is re-tagged at most once;
 *  - XDP: one broadcast redirect through the bridge's devmap; each port's
 *    devmap egress program (bridge_egress) fixes the tag or drops the copy.
 * Ports whose peer is another module get their flood copy through the slow
 * path, which re-injects it out of that port (HOVER_PUNT_FLOOD_COPY).
 */
#include "include/hover.h"
#include "include/parse.h"
#include "include/bridge_types.h"

/* Ports scanned when flooding; the control plane refuses higher indexes. */
#define BRIDGE_MAX_PORTS 32
/* Learned entries are rewritten at most this often per MAC. */
#define BRIDGE_REFRESH_NS 1000000000ull

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BRIDGE_FDB_SIZE);
	__type(key, struct bridge_fdb_key);
	__type(value, struct bridge_fdb_entry);
} bridge_fdb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bridge_config);
} bridge_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HOVER_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bridge_port);
} bridge_ports SEC(".maps");

#if defined(HOVER_XDP)
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, BRIDGE_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} bridge_flood SEC(".maps");
#endif

enum egress_want {
	EGRESS_NONE = -1,
	EGRESS_UNTAGGED = 0,
	EGRESS_TAGGED = 1,
};

static __always_inline int vlan_member(const struct bridge_port *bp, __u16 vid)
{
	__u32 w = (vid >> 6) & (BRIDGE_VLAN_WORDS - 1);
	return (bp->vlans[w] >> (vid & 63)) & 1;
}

static __always_inline int egress_want(const struct bridge_port *bp, __u16 vid)
{
	if (bp->mode == BRIDGE_PORT_ACCESS)
		return bp->pvid == vid ? EGRESS_UNTAGGED : EGRESS_NONE;
	if (bp->mode == BRIDGE_PORT_TRUNK) {
		if (bp->pvid && bp->pvid == vid)
			return EGRESS_UNTAGGED;
		return vlan_member(bp, vid) ? EGRESS_TAGGED : EGRESS_NONE;
	}
	return EGRESS_NONE;
}

/* The VLAN a frame received on `bp` belongs to, or 0 when it is refused. */
static __always_inline __u16 ingress_vlan(const struct bridge_port *bp, int tagged, __u16 tag)
{
	if (!tagged)
		return bp->pvid;
	if (bp->mode == BRIDGE_PORT_TRUNK && tag && (tag == bp->pvid || vlan_member(bp, tag)))
		return tag;
	return 0;
}

/* Brings the frame to the tag state `want` for VLAN `vid`. */
static __always_inline int retag(hover_ctx *ctx, int *tagged, int want, __u16 vid)
{
	if (*tagged == want)
		return 0;
	int err = want ? hook_vlan_push(ctx, vid) : hook_vlan_pop(ctx);
	if (!err)
		*tagged = want;
	return err;
}

static __always_inline void learn(struct bridge_fdb_key *key, __u32 port, __u64 now)
{
	struct bridge_fdb_entry *e = bpf_map_lookup_elem(&bridge_fdb, key);
	if (e) {
		if (e->flags & BRIDGE_FDB_STATIC)
			return;
		if (e->port == port && now - e->seen_ns < BRIDGE_REFRESH_NS)
			return;
	}
	struct bridge_fdb_entry fresh = { .port = port, .flags = 0, .seen_ns = now };
	bpf_map_update_elem(&bridge_fdb, key, &fresh, BPF_ANY);
}

static __always_inline int fdb_port(struct bridge_fdb_key *key, __u64 now, __u32 *port)
{
	struct bridge_fdb_entry *e = bpf_map_lookup_elem(&bridge_fdb, key);
	if (!e)
		return 0;
	if (!(e->flags & BRIDGE_FDB_STATIC)) {
		__u32 zero = 0;
		struct bridge_config *cfg = bpf_map_lookup_elem(&bridge_cfg, &zero);
		if (cfg && cfg->aging_ns && now - e->seen_ns > cfg->aging_ns)
			return 0;
	}
	*port = e->port;
	return 1;
}

struct flood_ctx {
	hover_ctx *ctx;
	struct hover_md *md;
	__u16 vid;
	int tagged;
	int pass_want; /* tag state served in this pass */
	int deferred;  /* a port wants the other state */
};

/* A copy to port `p` when it wants the frame as it is now. A bpf_loop
 * callback: the verifier checks it once rather than once per port. */
static long flood_port(__u64 i, void *data)
{
	struct flood_ctx *f = data;
	__u32 p = i;
	if (p == f->md->in_port)
		return 0;
	struct bridge_port *bp = bpf_map_lookup_elem(&bridge_ports, &p);
	if (!bp)
		return 0;
	int want = egress_want(bp, f->vid);
	if (want == EGRESS_NONE)
		return 0;
	if (want != f->pass_want) {
		f->deferred = 1;
		return 0;
	}
	struct hover_port *hp = hover_port_of(f->md->module, p);
	if (!hp)
		return 0;
	if (hp->peer_kind == HOVER_PEER_MODULE) {
		hover_punt_copy(f->ctx, f->md, p, HOVER_PUNT_FLOOD_COPY);
		hover_count_tx(f->ctx, f->md->module, p);
	}
#if defined(HOVER_TC)
	else if (hp->peer_kind == HOVER_PEER_NETDEV) {
		if (bpf_clone_redirect(f->ctx, hp->ifindex, 0) == 0)
			hover_count_tx(f->ctx, f->md->module, p);
	}
#endif
	return 0;
}

/* One pass over the ports. */
static __always_inline void flood_pass(struct flood_ctx *f)
{
	bpf_loop(BRIDGE_MAX_PORTS, flood_port, f, 0);
}

static __always_inline int flood(hover_ctx *ctx, struct hover_md *md, __u16 vid, int tagged)
{
	struct flood_ctx f = { .ctx = ctx, .md = md, .vid = vid, .tagged = tagged, .pass_want = tagged };
	md->flags |= HOVER_MDF_FLOODED;
	flood_pass(&f);
	if (f.deferred) {
		f.pass_want = !tagged;
		if (retag(ctx, &f.tagged, f.pass_want, vid))
			return HOVER_DROP;
		flood_pass(&f);
	}
#if defined(HOVER_XDP)
	/* Copies leave tagged; each port's egress program untags or drops. */
	if (retag(ctx, &f.tagged, EGRESS_TAGGED, vid))
		return HOVER_DROP;
	bpf_redirect_map(&bridge_flood, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
	return HOVER_REDIRECTED;
#else
	return HOVER_CONSUMED;
#endif
}

static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
{
	struct cursor c;
	struct ethhdr *eth;
	__u16 tag = 0;
	cursor_init(&c, ctx);
	/* 802.1ad (QinQ) is not bridged: hook_vlan_get only knows 802.1Q. */
	if (!parse_l2(&c, &eth, &tag) || eth->h_proto == bpf_htons(ETH_P_8021AD))
		return HOVER_DROP;
	int tagged = hook_vlan_get(ctx, &tag);

	__u32 in = md->in_port;
	struct bridge_port *ibp = bpf_map_lookup_elem(&bridge_ports, &in);
	if (!ibp)
		return HOVER_DROP;
	__u16 vid = ingress_vlan(ibp, tagged, tag);
	if (!vid)
		return HOVER_DROP;

	__u64 now = bpf_ktime_get_ns();
	struct bridge_fdb_key key = { .vlan = vid };
	if (!(eth->h_source[0] & 1)) {
		__builtin_memcpy(key.mac, eth->h_source, 6);
		learn(&key, in, now);
	}
	if (eth->h_dest[0] & 1)
		return flood(ctx, md, vid, tagged);

	__builtin_memcpy(key.mac, eth->h_dest, 6);
	__u32 out;
	if (!fdb_port(&key, now, &out))
		return flood(ctx, md, vid, tagged);
	if (out == in)
		return HOVER_DROP;
	struct bridge_port *obp = bpf_map_lookup_elem(&bridge_ports, &out);
	if (!obp)
		return HOVER_DROP;
	int want = egress_want(obp, vid);
	if (want == EGRESS_NONE || retag(ctx, &tagged, want, vid))
		return HOVER_DROP;
	md->out_port = out;
	return HOVER_FORWARD;
}

#include "include/hover_module.h"

#if defined(HOVER_XDP)
/* Devmap egress program of every bridge port: the broadcast copy arrives
 * tagged with the frame's VLAN; leave it tagged, untag it or drop it. */
SEC("xdp/devmap")
int bridge_egress(struct xdp_md *ctx)
{
	__u32 ifindex = ctx->egress_ifindex;
	struct hover_netdev *nd = hover_netdev_of(ifindex);
	if (!nd)
		return XDP_DROP;
	__u32 port = nd->port;
	struct bridge_port *bp = bpf_map_lookup_elem(&bridge_ports, &port);
	__u16 vid;
	if (!bp || !hook_vlan_get(ctx, &vid))
		return XDP_DROP;
	int want = egress_want(bp, vid);
	if (want == EGRESS_NONE)
		return XDP_DROP;
	if (want == EGRESS_UNTAGGED && hook_vlan_pop(ctx))
		return XDP_DROP;
	hover_count_tx(ctx, nd->module, port);
	return XDP_PASS;
}
#endif
