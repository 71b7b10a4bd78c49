/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * GTP matcher. Parses GTPv2-C (UDP destination port 2123) and GTPv1-U (2152)
 * over unfragmented IPv4 and steers each message by its TEID (and, when the
 * rule asks, its message type): forward out of a port, drop, or punt to the
 * slow path, which keeps a log of what it was sent. Messages no rule matches
 * take the default action; malformed ones are counted and dropped or handled
 * as non-GTP traffic; non-GTP traffic is forwarded, dropped or passed to the
 * kernel stack as configured. Every rule counts packets and bytes.
 */
#include <linux/in.h>
#include "include/hover.h"
#include "include/parse.h"
#include "include/gtp_types.h"

/* IPv4 frag_off bits (host order; the kernel's are not in the UAPI). */
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gtp_config);
} gtp_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GTP_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct gtp_port);
} gtp_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GTP_MAX_RULES);
	__type(key, struct gtp_rule_key);
	__type(value, struct gtp_rule);
} gtp_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GTP_MAX_RULES);
	__type(key, __u32);
	__type(value, struct gtp_count);
} gtp_rule_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GTP_CNT_MAX);
	__type(key, __u32);
	__type(value, struct gtp_count);
} gtp_counters SEC(".maps");

/* A well-formed message, as the rules and the slow path see it. */
struct gtp_msg {
	__u32 teid;
	__u32 seq;
	__u8 version;
	__u8 type;
	__u8 has_teid;
	__u8 has_seq;
};

static __always_inline void add(struct gtp_count *c, __u32 bytes)
{
	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

static __always_inline void count(__u32 which, __u32 bytes)
{
	add(bpf_map_lookup_elem(&gtp_counters, &which), bytes);
}

/* GTPv1-U (TS 29.281 5.1). `len` is the UDP payload length. Returns
 * GTP_CNT_GTPV1U for a well-formed message, else the malformed counter. */
static __always_inline __u32 parse_v1(struct cursor *c, __u32 len, struct gtp_msg *m)
{
	struct gtphdr *h = parse_gtphdr(c);
	if (!h || len < sizeof(*h))
		return GTP_CNT_TRUNCATED;
	__u8 flags = h->flags;
	if (GTP_VERSION(flags) != 1)
		return GTP_CNT_BAD_VERSION;
	if (!(flags & GTPV1_PT))
		return GTP_CNT_BAD_PROTOCOL;
	struct gtp_teid *t = parse_gtp_teid(c);
	__u32 hl = sizeof(*h) + sizeof(*t);
	if (!t || len < hl)
		return GTP_CNT_TRUNCATED;
	m->teid = bpf_ntohl(t->teid);
	m->has_teid = 1;
	if (flags & (GTPV1_E | GTPV1_S | GTPV1_PN)) {
		struct gtpv1_opt *o = parse_gtpv1_opt(c);
		if (!o || len < hl + sizeof(*o))
			return GTP_CNT_TRUNCATED;
		if (flags & GTPV1_S) {
			m->seq = bpf_ntohs(o->seq);
			m->has_seq = 1;
		}
	}
	/* The length counts everything after the eight mandatory octets,
	 * optional octets and extension headers included. */
	if (bpf_ntohs(h->length) + hl != len)
		return GTP_CNT_BAD_LENGTH;
	m->version = 1;
	m->type = h->type;
	return GTP_CNT_GTPV1U;
}

/* GTPv2-C (TS 29.274 5.1). Returns GTP_CNT_GTPV2C or the malformed counter. */
static __always_inline __u32 parse_v2(struct cursor *c, __u32 len, struct gtp_msg *m)
{
	struct gtphdr *h = parse_gtphdr(c);
	if (!h || len < sizeof(*h))
		return GTP_CNT_TRUNCATED;
	__u8 flags = h->flags;
	if (GTP_VERSION(flags) != 2)
		return GTP_CNT_BAD_VERSION;
	__u32 hl = sizeof(*h);
	if (flags & GTPV2_T) {
		struct gtp_teid *t = parse_gtp_teid(c);
		hl += sizeof(*t);
		if (!t || len < hl)
			return GTP_CNT_TRUNCATED;
		m->teid = bpf_ntohl(t->teid);
		m->has_teid = 1;
	}
	struct gtpv2_seq *s = parse_gtpv2_seq(c);
	hl += sizeof(*s);
	if (!s || len < hl)
		return GTP_CNT_TRUNCATED;
	m->seq = ((__u32)s->seq[0] << 16) | ((__u32)s->seq[1] << 8) | s->seq[2];
	m->has_seq = 1;
	/* The length counts everything after the first four octets. A
	 * piggybacked message (P) follows this one in the same datagram. */
	__u32 end = bpf_ntohs(h->length) + sizeof(*h);
	if (end < hl || (flags & GTPV2_P ? end >= len : end != len))
		return GTP_CNT_BAD_LENGTH;
	m->version = 2;
	m->type = h->type;
	return GTP_CNT_GTPV2C;
}

/* Sends the packet out of `port`, with the destination MAC the port asks for. */
static __always_inline int forward(struct hover_md *md, struct ethhdr *eth, __u32 port)
{
	struct gtp_port *p = bpf_map_lookup_elem(&gtp_ports, &port);
	if (!p)
		return HOVER_DROP; /* GTP_PORT_NONE */
	if (eth && (p->flags & GTP_PORT_SET_DMAC))
		__builtin_memcpy(eth->h_dest, p->dmac, ETH_ALEN);
	md->out_port = port;
	return HOVER_FORWARD;
}

static __always_inline int punt(struct hover_md *md, const struct gtp_msg *m, __u32 reason, __u32 rule_id)
{
	md->reason = reason;
	md->words[0] = m->teid | (m->has_teid ? GTP_WORD_PRESENT : 0);
	md->words[1] = m->version | ((__u64)m->type << 8);
	md->words[2] = m->seq | (m->has_seq ? GTP_WORD_PRESENT : 0);
	md->words[3] = rule_id;
	return HOVER_PUNT;
}

static __always_inline int act(struct hover_md *md, struct ethhdr *eth, const struct gtp_msg *m,
			       __u32 action, __u32 port, __u32 reason, __u32 rule_id)
{
	switch (action) {
	case GTP_ACT_FORWARD:
		return forward(md, eth, port);
	case GTP_ACT_PUNT:
		return punt(md, m, reason, rule_id);
	default:
		return HOVER_DROP;
	}
}

/* What becomes of non-GTP traffic, and of malformed messages when they pass. */
static __always_inline int other(struct hover_md *md, struct ethhdr *eth, const struct gtp_config *cfg)
{
	switch (cfg->non_gtp_action) {
	case GTP_ACT_FORWARD:
		return forward(md, eth, cfg->non_gtp_port);
	case GTP_ACT_PASS:
		return HOVER_PASS;
	default:
		return HOVER_DROP;
	}
}

static __always_inline int non_gtp(hover_ctx *ctx, struct hover_md *md, struct ethhdr *eth,
				   const struct gtp_config *cfg)
{
	count(GTP_CNT_NON_GTP, hook_len(ctx));
	return other(md, eth, cfg);
}

static __always_inline int match(hover_ctx *ctx, struct hover_md *md, struct ethhdr *eth,
				 const struct gtp_config *cfg, const struct gtp_msg *m)
{
	struct gtp_rule_key key = {
		.teid = m->teid,
		.version = m->version,
		.msg_type = m->type,
		.flags = m->has_teid ? 0 : GTP_KEY_NO_TEID,
	};
	struct gtp_rule *r = bpf_map_lookup_elem(&gtp_rules, &key);
	if (!r) {
		key.msg_type = 0;
		key.flags |= GTP_KEY_ANY_TYPE;
		r = bpf_map_lookup_elem(&gtp_rules, &key);
	}
	__u32 bytes = hook_len(ctx);
	if (!r) {
		count(GTP_CNT_UNMATCHED, bytes);
		return act(md, eth, m, cfg->default_action, cfg->default_port, GTP_PUNT_DEFAULT, GTP_RULE_NONE);
	}
	__u32 id = r->rule_id;
	add(bpf_map_lookup_elem(&gtp_rule_stats, &id), bytes);
	return act(md, eth, m, r->action, r->port, GTP_PUNT_RULE, id);
}

static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
{
	__u32 zero = 0;
	struct gtp_config *cfg = bpf_map_lookup_elem(&gtp_cfg, &zero);
	if (!cfg)
		return HOVER_DROP;

	struct cursor c;
	struct ethhdr *eth;
	__u16 vid;
	cursor_init(&c, ctx);
	__be16 proto = parse_l2(&c, &eth, &vid);
	if (proto != bpf_htons(ETH_P_IP)) /* 0 too: a runt, or a tag cut short */
		return non_gtp(ctx, md, eth, cfg);
	struct iphdr *ip = parse_iphdr(&c);
	if (!ip || ip->version != 4 || ip->protocol != IPPROTO_UDP || (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)))
		return non_gtp(ctx, md, eth, cfg);
	struct udphdr *udp = parse_udphdr(&c);
	if (!udp)
		return non_gtp(ctx, md, eth, cfg);
	__be16 dport = udp->dest;
	if (dport != bpf_htons(GTP_UDP_PORT_C) && dport != bpf_htons(GTP_UDP_PORT_U))
		return non_gtp(ctx, md, eth, cfg);

	/* The datagram must lie within the IPv4 packet and the packet within
	 * the frame (the frame may be longer: Ethernet padding). */
	__u32 l3 = ETH_HLEN + (proto != eth->h_proto ? sizeof(struct vlan_tag) : 0);
	__u32 ip_len = bpf_ntohs(ip->tot_len);
	__u32 udp_len = bpf_ntohs(udp->len);
	struct gtp_msg m = {};
	__u32 kind; /* the status counter it falls under: well-formed, or its fault */
	if (udp_len < sizeof(*udp) || ip->ihl * 4 + udp_len > ip_len || l3 + ip_len > hook_len(ctx))
		kind = GTP_CNT_TRUNCATED;
	else if (dport == bpf_htons(GTP_UDP_PORT_U))
		kind = parse_v1(&c, udp_len - sizeof(*udp), &m);
	else
		kind = parse_v2(&c, udp_len - sizeof(*udp), &m);

	count(kind, hook_len(ctx));
	if (kind == GTP_CNT_GTPV1U || kind == GTP_CNT_GTPV2C)
		return match(ctx, md, eth, cfg, &m);
	if (cfg->flags & GTP_CFG_MALFORMED_PASS)
		return other(md, eth, cfg);
	return HOVER_DROP;
}

#include "include/hover_module.h"
