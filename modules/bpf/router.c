/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * IPv4 router. Every port is an untagged Ethernet segment with its own MAC
 * (router_ports) and addresses (router_local, for ARP); the daemon writes
 * connected, static and local (/32 of each router address) routes into an LPM
 * trie (router_routes). In the kernel:
 *  - ARP: answers requests for the port's own addresses, learns neighbours
 *    (router_neigh) from ARP that concerns the router or refreshes a known one;
 *  - ICMP echo requests to a router address (a local route) are answered in place;
 *  - forwarding: longest-prefix match, neighbour lookup, TTL decrement with an
 *    incremental checksum update, MAC rewrite.
 * Everything that must wait or build a new packet goes to the slow path:
 * unresolved next hops (held until ARP resolves, then re-injected into the
 * ingress port and forwarded here), TTL expiry and unreachable destinations
 * (ICMP errors), and every new or changed neighbour (so held packets can go).
 */
#include <linux/in.h>
#include "include/hover.h"
#include "include/parse.h"
#include "include/csum.h"
#include "include/router_types.h"

/* A learned neighbour whose MAC and port did not change is rewritten at most
 * this often (seen_ns is only for the daemon's aging). */
#define ROUTER_REFRESH_NS 1000000000ull
/* TTL of the echo replies the router sends. */
#define ROUTER_ECHO_TTL 64

/* IPv4 frag_off bits (host order; the kernel's are not in the UAPI). */
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

#define ICMP_ECHO_REQUEST 8
#define ICMP_ECHO_REPLY 0

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HOVER_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct router_port);
} router_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ROUTER_LOCAL_SIZE);
	__type(key, __be32);
	__type(value, struct router_local);
} router_local SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, ROUTER_ROUTES_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct router_route_key);
	__type(value, struct router_route);
} router_routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ROUTER_NEIGH_SIZE);
	__type(key, __be32);
	__type(value, struct router_neigh);
} router_neigh SEC(".maps");

static __always_inline int mac_eq(const __u8 *a, const __u8 *b)
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) |
		(a[3] ^ b[3]) | (a[4] ^ b[4]) | (a[5] ^ b[5])) == 0;
}

/* 0.0.0.0, 127/8, multicast 224/4 and above (class E, limited broadcast):
 * addresses that are never routed (the test is on network order bytes). */
static __always_inline int martian(__be32 addr)
{
	__u8 first = ((const __u8 *)&addr)[0];
	return addr == 0 || first == 127 || first >= 224;
}

/* Learns or refreshes the neighbour spa at sha on port `in`. Static entries
 * are never touched; a new entry or a changed MAC/port is told to the slow
 * path (ROUTER_PUNT_NEIGH, with a copy of the ARP packet). */
static __always_inline void neigh_learn(hover_ctx *ctx, struct hover_md *md, __be32 spa, const __u8 *sha, __u32 in)
{
	__u64 now = bpf_ktime_get_ns();
	int changed = 1;
	struct router_neigh *n = bpf_map_lookup_elem(&router_neigh, &spa);
	if (n) {
		if (n->flags & ROUTER_NEIGH_STATIC)
			return;
		changed = n->port != in || !mac_eq(n->mac, sha);
		if (!changed && now - n->seen_ns < ROUTER_REFRESH_NS)
			return;
	}
	struct router_neigh fresh = { .flags = 0, .port = in, .seen_ns = now };
	__builtin_memcpy(fresh.mac, sha, ETH_ALEN);
	if (bpf_map_update_elem(&router_neigh, &spa, &fresh, BPF_ANY))
		return; /* table full: the slow path resolves by itself */
	if (changed) {
		/* The packet may go on (an ARP reply): its word 0 is restored. */
		__u64 word = md->words[0];
		md->words[0] = (__u64)spa;
		hover_punt_copy(ctx, md, in, ROUTER_PUNT_NEIGH);
		md->words[0] = word;
	}
}

static __always_inline int handle_arp(hover_ctx *ctx, struct hover_md *md, struct cursor *c,
				      struct ethhdr *eth, const struct router_port *port)
{
	struct arphdr *ah = parse_arphdr(c);
	if (!ah || ah->ar_hrd != bpf_htons(ARPHRD_ETHER) || ah->ar_pro != bpf_htons(ETH_P_IP) ||
	    ah->ar_hln != ETH_ALEN || ah->ar_pln != 4)
		return HOVER_DROP;
	struct arp_ipv4 *a = parse_arp_ipv4(c);
	if (!a)
		return HOVER_DROP;
	__be16 op = ah->ar_op;
	if (op != bpf_htons(ARPOP_REQUEST) && op != bpf_htons(ARPOP_REPLY))
		return HOVER_DROP;

	__u32 in = md->in_port;
	__be32 spa = a->spa, tpa = a->tpa;
	struct router_local *target = bpf_map_lookup_elem(&router_local, &tpa);
	int for_us = target && target->port == in;

	/* Never learn one of our own addresses (a conflict, or our own ARP
	 * looped back) nor a multicast sender MAC. */
	if (spa && !(a->sha[0] & 1) && !bpf_map_lookup_elem(&router_local, &spa) &&
	    (for_us || bpf_map_lookup_elem(&router_neigh, &spa)))
		neigh_learn(ctx, md, spa, a->sha, in);

	if (op != bpf_htons(ARPOP_REQUEST) || !for_us)
		return HOVER_CONSUMED;

	/* The request becomes the reply, in place. */
	ah->ar_op = bpf_htons(ARPOP_REPLY);
	__builtin_memcpy(a->tha, a->sha, ETH_ALEN);
	a->tpa = spa;
	__builtin_memcpy(a->sha, port->mac, ETH_ALEN);
	a->spa = tpa;
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, port->mac, ETH_ALEN);
	md->out_port = in;
	return HOVER_FORWARD;
}

/* A packet addressed to the router: echo requests are answered in place,
 * everything else is consumed. */
static __always_inline int handle_local(struct hover_md *md, struct cursor *c, struct ethhdr *eth,
					struct iphdr *ip, const struct router_port *port)
{
	if (ip->protocol != IPPROTO_ICMP || (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)))
		return HOVER_CONSUMED;
	struct icmphdr *icmp = parse_icmphdr(c);
	if (!icmp || icmp->type != ICMP_ECHO_REQUEST || icmp->code != 0)
		return HOVER_CONSUMED;

	/* ICMP: type 8 -> 0 in the {type, code} word. */
	__be16 *tc = (__be16 *)&icmp->type;
	__be16 old = *tc;
	icmp->type = ICMP_ECHO_REPLY;
	csum_replace2(&icmp->checksum, old, *tc);

	/* IPv4: addresses swapped (the sum is unchanged), TTL reset in the
	 * {ttl, protocol} word. */
	__be32 saddr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = saddr;
	__be16 *tp = (__be16 *)&ip->ttl;
	old = *tp;
	ip->ttl = ROUTER_ECHO_TTL;
	csum_replace2(&ip->check, old, *tp);

	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, port->mac, ETH_ALEN);
	md->out_port = md->in_port;
	return HOVER_FORWARD;
}

static __always_inline int handle_ipv4(struct hover_md *md, struct cursor *c, struct ethhdr *eth,
				       const struct router_port *port)
{
	/* Only frames sent to this port's MAC are routed. */
	if (!mac_eq(eth->h_dest, port->mac))
		return HOVER_DROP;
	struct iphdr *ip = parse_iphdr(c);
	if (!ip || ip->version != 4)
		return HOVER_DROP;
	__be32 daddr = ip->daddr;
	if (martian(daddr) || martian(ip->saddr))
		return HOVER_DROP;

	struct router_route_key key = { .prefixlen = 32, .addr = daddr };
	struct router_route *rt = bpf_map_lookup_elem(&router_routes, &key);
	/* Local delivery comes before the TTL check: a packet for the router
	 * with TTL 1 has arrived. */
	if (rt && (rt->flags & ROUTER_ROUTE_LOCAL))
		return handle_local(md, c, eth, ip, port);

	if (ip->ttl <= 1) {
		md->reason = ROUTER_PUNT_TTL;
		return HOVER_PUNT;
	}
	if (!rt || rt->port >= ROUTER_MAX_PORTS) { /* ROUTER_PORT_NONE too */
		md->reason = ROUTER_PUNT_NO_ROUTE;
		return HOVER_PUNT;
	}
	__u32 out = rt->port;
	__be32 nexthop = rt->nexthop ? rt->nexthop : daddr;

	struct router_port *oport = bpf_map_lookup_elem(&router_ports, &out);
	if (!oport || !oport->enabled)
		return HOVER_DROP;
	struct router_neigh *n = bpf_map_lookup_elem(&router_neigh, &nexthop);
	if (!n) {
		/* Unmodified to the slow path, which holds it until ARP resolves. */
		md->words[0] = (__u64)nexthop;
		md->words[1] = out;
		md->reason = ROUTER_PUNT_ARP_MISS;
		return HOVER_PUNT;
	}

	__be16 *tp = (__be16 *)&ip->ttl;
	__be16 old = *tp;
	ip->ttl--;
	csum_replace2(&ip->check, old, *tp);
	__builtin_memcpy(eth->h_source, oport->mac, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, n->mac, ETH_ALEN);
	md->out_port = out;
	return HOVER_FORWARD;
}

static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
{
	struct cursor c;
	struct ethhdr *eth;
	__u16 vid = 0;
	cursor_init(&c, ctx);
	/* Router ports are untagged: any tag (802.1Q or 802.1ad, in the data,
	 * priority-tagged with VID 0, or the skb's accelerated tag) is refused. */
	__be16 proto = parse_l2(&c, &eth, &vid);
	if (!proto || proto != eth->h_proto || hook_vlan_get(ctx, &vid))
		return HOVER_DROP;

	__u32 in = md->in_port;
	struct router_port *port = bpf_map_lookup_elem(&router_ports, &in);
	if (!port || !port->enabled)
		return HOVER_DROP;

	if (proto == bpf_htons(ETH_P_ARP))
		return handle_arp(ctx, md, &c, eth, port);
	if (proto == bpf_htons(ETH_P_IP))
		return handle_ipv4(md, &c, eth, port);
	return HOVER_DROP;
}

#include "include/hover_module.h"
