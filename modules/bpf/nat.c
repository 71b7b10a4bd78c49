/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * NAT: a bump in the wire between one inside and one outside port. Frames go
 * from one port to the other with their MACs untouched; IPv4 addresses and TCP
 * and UDP ports (the ICMP echo identifier) are translated on the way.
 *  - Every translated flow is a connection (conntrack.h). Its first packet
 *    matches a rule and opens it; every later packet, both ways, is translated
 *    from the connection alone, so rule changes never disturb a running flow.
 *  - Inside → outside, new: snat, masquerade or dnat_and_snat by inside source
 *    (LPM trie), with the external port chosen here (nat_open_outbound).
 *  - Outside → inside, new: dnat or dnat_and_snat by destination (exact, then
 *    address only).
 *  - ICMP errors about a translated flow are translated with it: the quoted
 *    packet as the flow's packets are, the error's addresses as its replies.
 *  - ARP requests on the outside port for the external addresses of rules are
 *    answered with the MAC of what faces the inside port (the router whose
 *    addresses they are to the outside) or the configured external MAC.
 * Everything else passes unchanged, the router's own traffic included.
 */
#include <linux/in.h>
#include "include/hover.h"
#include "include/parse.h"
#include "include/conntrack.h"
#include "include/rewrite.h"
#include "include/rewrite_quoted.h"
#include "include/nat_types.h"

CT_MAPS(nat);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nat_config);
} nat_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, NAT_SNAT_SIZE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nat_snat_key);
	__type(value, struct nat_snat_rule);
} nat_snat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NAT_DNAT_SIZE);
	__type(key, struct nat_dnat_key);
	__type(value, struct nat_dnat_rule);
} nat_dnat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NAT_ARP_SIZE);
	__type(key, __be32);
	__type(value, struct nat_arp_entry);
} nat_arp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nat_mac);
} nat_inside_mac SEC(".maps");

enum nat_outcome {
	NAT_TRANSLATE = 0,
	NAT_UNMATCHED = 1, /* no rule: the packet goes on as it is */
	NAT_NO_TUPLE = 2,  /* no free external tuple: dropped */
};

static __always_inline int mac_is_zero(const __u8 *m)
{
	return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0;
}

static __always_inline int mac_eq(const __u8 *a, const __u8 *b)
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) |
		(a[3] ^ b[3]) | (a[4] ^ b[4]) | (a[5] ^ b[5])) == 0;
}

static __always_inline int ct_key_eq(const struct ct_key *a, const struct ct_key *b)
{
	return a->saddr == b->saddr && a->daddr == b->daddr && a->sport == b->sport &&
	       a->dport == b->dport && a->proto == b->proto;
}

/* murmur3's finalizer: spreads neighbouring tuples over the whole port range. */
static __always_inline __u32 nat_mix(__u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static __always_inline __u32 nat_hash(const struct ct_key *k)
{
	__u32 h = nat_mix(k->saddr);
	h = nat_mix(h ^ k->daddr);
	return nat_mix(h ^ (((__u32)k->sport << 16) | k->dport) ^ k->proto);
}

/* The router behind the inside port: the MAC that external addresses are
 * announced with. Written only when it changes. */
static __always_inline void nat_learn(const __u8 *src)
{
	__u32 zero = 0;
	struct nat_mac *m = bpf_map_lookup_elem(&nat_inside_mac, &zero);
	if (!m || (src[0] & 1) || (m->known && mac_eq(m->mac, src)))
		return;
	__builtin_memcpy(m->mac, src, ETH_ALEN);
	m->known = 1;
}

/* Frees the reply key `reply`, which a connection's reply index holds, when
 * what holds it is stale: a connection that expired, or an index whose
 * connection the LRU evicted or reused. Returns 0 when the key is free (or
 * only lost to a race), -1 when a live connection holds it. */
static __always_inline int nat_free_stale(const struct ct_key *reply, __u64 now)
{
	struct ct_key *holder = bpf_map_lookup_elem(&nat_ct_reply, reply);
	if (!holder)
		return 0;
	struct ct_key orig = *holder;
	struct ct_entry *e = bpf_map_lookup_elem(&nat_ct, &orig);
	if (e && ct_key_eq(&e->reply, reply)) {
		if (!ct_expired_by(e, &nat_ct_cfg, now))
			return -1;
		ct_delete(&nat_ct, &nat_ct_reply, &orig, e);
		return 0;
	}
	bpf_map_delete_elem(&nat_ct_reply, reply);
	return 0;
}

/* Opens the packet's connection with replies `reply`. The reply key is
 * claimed first and its holder looked at only when that fails, so a free
 * tuple costs no lookups. Returns 0, or -1 when a live connection holds it. */
static __always_inline int nat_open(const struct ct_packet *p, const struct ct_key *reply, const __u32 data[4], __u64 now)
{
	/* A live connection opened with this very tuple would make the two
	 * flows indistinguishable. */
	if (bpf_map_lookup_elem(&nat_ct, reply))
		return -1;
	if (!ct_create(&nat_ct, &nat_ct_reply, &p->key, reply, p, data, now))
		return 0;
	if (nat_free_stale(reply, now))
		return -1;
	return ct_create(&nat_ct, &nat_ct_reply, &p->key, reply, p, data, now);
}

struct nat_claim_ctx {
	const struct ct_packet *p;
	struct ct_key reply;
	__u32 data[4];
	__u32 first, size, h;
	__u16 orig;
	int keep;
	int claimed;
	__u64 now;
};

/* Candidate `i`: a bpf_loop callback, so the verifier checks it once rather
 * than once per try. Returns 1 (stop) once the reply key is claimed. */
static long nat_try_port(__u64 i, void *data)
{
	struct nat_claim_ctx *c = data;
	if (i > c->size)
		return 1;
	__u16 port = c->keep && i == 0 ? c->orig : (__u16)(c->first + (c->h + i) % c->size);
	c->reply.dport = bpf_htons(port);
	if (c->p->key.proto == IPPROTO_ICMP)
		c->reply.sport = c->reply.dport;
	c->claimed = nat_open(c->p, &c->reply, c->data, c->now) == 0;
	return c->claimed;
}

/* Opens an inside → outside connection with source address `ext`, claiming
 * an external port (ICMP: identifier) in the rule's range: the original one
 * when the range has it and it is free, as Linux does, else candidates from a
 * hash of the flow. ct_create claims the reply key atomically (BPF_NOEXIST),
 * so two flows never share an external tuple. The claimed key is in *reply. */
static __always_inline int nat_claim(const struct ct_packet *p, __be32 ext, const struct nat_snat_rule *r,
				     struct ct_key *reply, __u64 now)
{
	struct nat_claim_ctx c = {
		.p = p,
		.data = { r->rule_id, NAT_INSIDE, r->type, 0 },
		.orig = bpf_ntohs(p->key.sport),
		.now = now,
	};
	ct_reverse(&p->key, &c.reply);
	c.reply.daddr = ext;
	__u32 first = r->port_first, last = r->port_last;
	if (first == 0 && last == 0)
		first = last = c.orig;
	if (first > last)
		return -1;
	c.first = first;
	c.size = last - first + 1;
	c.h = nat_hash(&p->key);
	c.keep = c.orig >= first && c.orig <= last;
	bpf_loop(NAT_PORT_TRIES, nat_try_port, &c, 0);
	*reply = c.reply;
	return c.claimed ? 0 : -1;
}

/* A new flow from the inside: the most specific rule for its source. */
static __always_inline int nat_open_outbound(const struct ct_packet *p, const struct nat_config *cfg,
					     struct ct_key *to, __u64 now)
{
	struct nat_snat_key sk = { .prefixlen = 32, .addr = p->key.saddr };
	struct nat_snat_rule *r = bpf_map_lookup_elem(&nat_snat, &sk);
	if (!r)
		return NAT_UNMATCHED;
	__be32 ext = r->ext_first;
	if (r->type == NAT_MASQUERADE) {
		ext = cfg->outside_addr;
		if (!ext)
			return NAT_NO_TUPLE;
	} else if (r->ext_last != r->ext_first) {
		/* One inside host keeps one external address. */
		__u32 first = bpf_ntohl(r->ext_first), last = bpf_ntohl(r->ext_last);
		if (last < first)
			return NAT_NO_TUPLE;
		ext = bpf_htonl(first + nat_mix(p->key.saddr) % (last - first + 1));
	}
	struct ct_key reply;
	if (nat_claim(p, ext, r, &reply, now))
		return NAT_NO_TUPLE;
	ct_reverse(&reply, to);
	return NAT_TRANSLATE;
}

/* A new flow from the outside: a port forward for its destination, else an
 * address-only rule (dnat, dnat_and_snat). */
static __always_inline int nat_open_inbound(const struct ct_packet *p, struct ct_key *to, __u64 now)
{
	struct nat_dnat_key dk = { .addr = p->key.daddr };
	struct nat_dnat_rule *r = 0;
	if (p->key.proto != IPPROTO_ICMP) {
		dk.port = p->key.dport;
		dk.proto = p->key.proto;
		r = bpf_map_lookup_elem(&nat_dnat, &dk);
		dk.port = 0;
		dk.proto = 0;
	}
	if (!r)
		r = bpf_map_lookup_elem(&nat_dnat, &dk);
	if (!r)
		return NAT_UNMATCHED;
	struct ct_key reply = {
		.saddr = r->addr,
		.daddr = p->key.saddr,
		.sport = r->port ? r->port : p->key.dport,
		.dport = p->key.sport,
		.proto = p->key.proto,
	};
	__u32 data[4] = { r->rule_id, NAT_OUTSIDE, r->type, 0 };
	if (nat_open(p, &reply, data, now))
		return NAT_NO_TUPLE;
	ct_reverse(&reply, to);
	return NAT_TRANSLATE;
}

/* Rewrites the packet whose tuple is p->key into `to`, field by field. */
static __always_inline int nat_rewrite(hover_ctx *ctx, const struct ct_packet *p, const struct ct_key *to)
{
	const struct ct_key *k = &p->key;
	__u8 proto = k->proto;
	if (k->saddr != to->saddr && rw_addr(ctx, p->l3off, p->l4off, proto, 0, k->saddr, to->saddr))
		return -1;
	if (k->daddr != to->daddr && rw_addr(ctx, p->l3off, p->l4off, proto, 1, k->daddr, to->daddr))
		return -1;
	/* The echo identifier is both "ports" of an ICMP key: written once. */
	if (k->sport != to->sport && rw_port(ctx, p->l4off, proto, 0, k->sport, to->sport))
		return -1;
	if (proto != IPPROTO_ICMP && k->dport != to->dport && rw_port(ctx, p->l4off, proto, 1, k->dport, to->dport))
		return -1;
	return 0;
}

/* An ICMP error quoting a packet of a translated flow. The error travels the
 * way answers to the quoted packet do, so its direction is that of the quoted
 * tuple reversed; the quote becomes what the flow's packets look like on the
 * far side, and the error's own addresses are translated where they are the
 * flow's endpoints (an error from a router on the way keeps its source). */
static __always_inline int nat_icmp_error(hover_ctx *ctx, const struct ct_packet *p, __be32 saddr, __be32 daddr, __u32 side)
{
	struct ct_key k, orig, out, quoted;
	int dir;
	ct_reverse(&p->key, &k);
	struct ct_entry *e = ct_lookup(&nat_ct, &nat_ct_reply, &k, &orig, &dir);
	if (!e)
		return HOVER_FORWARD;
	if ((dir == CT_ORIG) != (e->data[NAT_CT_SIDE] == side))
		return HOVER_DROP;
	if (dir == CT_ORIG)
		ct_reverse(&e->reply, &out);
	else
		ct_reverse(&orig, &out);
	ct_reverse(&out, &quoted);
	if (rw_quoted(ctx, p->l4off, &p->key, &quoted))
		return HOVER_DROP;
	if (daddr == k.daddr && daddr != out.daddr && rw_addr(ctx, p->l3off, p->l4off, IPPROTO_ICMP, 1, daddr, out.daddr))
		return HOVER_DROP;
	if (saddr == k.saddr && saddr != out.saddr && rw_addr(ctx, p->l3off, p->l4off, IPPROTO_ICMP, 0, saddr, out.saddr))
		return HOVER_DROP;
	return HOVER_FORWARD;
}

static __always_inline int nat_ipv4(hover_ctx *ctx, struct cursor *c, const struct nat_config *cfg, __u32 side)
{
	struct iphdr *ip = parse_iphdr(c);
	if (!ip || ip->version != 4)
		return HOVER_DROP;
	__be32 saddr = ip->saddr, daddr = ip->daddr;
	struct ct_packet p;
	/* Other protocols and non-first fragments go as they are. */
	if (ct_parse(ctx, c, ip, &p) != 0)
		return HOVER_FORWARD;
	if (p.related)
		return nat_icmp_error(ctx, &p, saddr, daddr, side);

	__u64 now = ct_now();
	struct ct_key orig, to;
	int dir;
	struct ct_entry *e = ct_lookup_live(&nat_ct, &nat_ct_reply, &nat_ct_cfg, &p.key, &orig, &dir, now);
	if (e) {
		/* A flow's original direction enters on the side that opened it,
		 * its replies on the other: anything else is spoofed. */
		if ((dir == CT_ORIG) != (e->data[NAT_CT_SIDE] == side))
			return HOVER_DROP;
		ct_account(e, dir, &p, now);
		if (dir == CT_ORIG)
			ct_reverse(&e->reply, &to);
		else
			ct_reverse(&orig, &to);
	} else {
		int outcome = side == NAT_INSIDE ? nat_open_outbound(&p, cfg, &to, now) : nat_open_inbound(&p, &to, now);
		if (outcome == NAT_UNMATCHED)
			return HOVER_FORWARD;
		if (outcome != NAT_TRANSLATE)
			return HOVER_DROP;
	}
	return nat_rewrite(ctx, &p, &to) ? HOVER_DROP : HOVER_FORWARD;
}

/* Answers, in place, an ARP request from the outside for an external address. */
static __always_inline int nat_arp_reply(struct hover_md *md, struct cursor *c, struct ethhdr *eth,
					 const struct nat_config *cfg)
{
	struct arphdr *ah = parse_arphdr(c);
	if (!ah || ah->ar_hrd != bpf_htons(ARPHRD_ETHER) || ah->ar_pro != bpf_htons(ETH_P_IP) ||
	    ah->ar_hln != ETH_ALEN || ah->ar_pln != 4 || ah->ar_op != bpf_htons(ARPOP_REQUEST))
		return HOVER_FORWARD;
	struct arp_ipv4 *a = parse_arp_ipv4(c);
	if (!a)
		return HOVER_FORWARD;
	__be32 spa = a->spa, tpa = a->tpa;
	/* A gratuitous ARP announces the sender; nothing to answer. */
	if (spa == tpa || !bpf_map_lookup_elem(&nat_arp, &tpa))
		return HOVER_FORWARD;
	__u8 mac[ETH_ALEN];
	if (!mac_is_zero(cfg->external_mac)) {
		__builtin_memcpy(mac, cfg->external_mac, ETH_ALEN);
	} else {
		__u32 zero = 0;
		struct nat_mac *learned = bpf_map_lookup_elem(&nat_inside_mac, &zero);
		if (!learned || !learned->known)
			return HOVER_FORWARD;
		__builtin_memcpy(mac, learned->mac, ETH_ALEN);
	}
	ah->ar_op = bpf_htons(ARPOP_REPLY);
	__builtin_memcpy(a->tha, a->sha, ETH_ALEN);
	a->tpa = spa;
	__builtin_memcpy(a->sha, mac, ETH_ALEN);
	a->spa = tpa;
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	md->out_port = md->in_port;
	return HOVER_FORWARD;
}

static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
{
	__u32 zero = 0;
	struct nat_config *cfg = bpf_map_lookup_elem(&nat_cfg, &zero);
	if (!cfg || (cfg->ports & (NAT_HAS_INSIDE | NAT_HAS_OUTSIDE)) != (NAT_HAS_INSIDE | NAT_HAS_OUTSIDE))
		return HOVER_DROP;
	__u32 side;
	if (md->in_port == cfg->inside_port) {
		side = NAT_INSIDE;
		md->out_port = cfg->outside_port;
	} else if (md->in_port == cfg->outside_port) {
		side = NAT_OUTSIDE;
		md->out_port = cfg->inside_port;
	} else {
		return HOVER_DROP;
	}

	struct cursor c;
	struct ethhdr *eth;
	__u16 vid;
	cursor_init(&c, ctx);
	__be16 proto = parse_l2(&c, &eth, &vid);
	if (!proto)
		return HOVER_DROP;
	if (side == NAT_INSIDE)
		nat_learn(eth->h_source);
	if (proto == bpf_htons(ETH_P_IP))
		return nat_ipv4(ctx, &c, cfg, side);
	if (proto == bpf_htons(ETH_P_ARP) && side == NAT_OUTSIDE)
		return nat_arp_reply(md, &c, eth, cfg);
	return HOVER_FORWARD;
}

#include "include/hover_module.h"
