/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Connection tracking for stateful modules. A module declares its tables with
 * CT_MAPS(prefix) and then, per packet:
 *
 *     struct ct_packet p;
 *     if (ct_parse(ctx, &c, ip, &p) == 0) {       // right after parse_iphdr
 *         struct ct_key orig;
 *         int dir;
 *         struct ct_entry *e = ct_lookup_live(&x_ct, &x_ct_reply, &x_ct_cfg, &p.key, &orig, &dir, now);
 *         if (!e)      // new: reply = ct_reverse(key), translated as the module wants
 *             ct_create(&x_ct, &x_ct_reply, &p.key, &reply, &p, data, now);
 *         else
 *             ct_account(e, dir, &p, now);
 *     }
 *
 * Entries are LRU: a full table evicts the least recently used connection.
 * Expired entries are treated as absent here and deleted by the daemon.
 */
#ifndef HOVER_CONNTRACK_H
#define HOVER_CONNTRACK_H

#include <linux/in.h>
#include "parse.h"
#include "ct_types.h"

#define CT_MAPS(prefix)                                                        \
	struct {                                                               \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                           \
		__uint(max_entries, CT_SIZE);                                  \
		__type(key, struct ct_key);                                    \
		__type(value, struct ct_entry);                                \
	} prefix##_ct SEC(".maps");                                            \
	struct {                                                               \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                           \
		__uint(max_entries, CT_SIZE);                                  \
		__type(key, struct ct_key);                                    \
		__type(value, struct ct_key);                                  \
	} prefix##_ct_reply SEC(".maps");                                      \
	struct {                                                               \
		__uint(type, BPF_MAP_TYPE_ARRAY);                              \
		__uint(max_entries, 1);                                        \
		__type(key, __u32);                                            \
		__type(value, struct ct_timeouts);                             \
	} prefix##_ct_cfg SEC(".maps")

enum ct_dir {
	CT_NEW = 0,
	CT_ORIG = 1,  /* the packet goes the way the connection was opened */
	CT_REPLY = 2,
};

#define CT_TCP_FIN 0x01
#define CT_TCP_SYN 0x02
#define CT_TCP_RST 0x04
#define CT_TCP_ACK 0x10

#define CT_ICMP_ECHO_REPLY 0
#define CT_ICMP_DEST_UNREACH 3
#define CT_ICMP_ECHO 8
#define CT_ICMP_TIME_EXCEEDED 11
#define CT_ICMP_PARAMETERPROB 12

/* A packet as connection tracking sees it. Offsets are from the start of the
 * frame, so that rewrite.h can reach the headers after helpers that move data. */
struct ct_packet {
	struct ct_key key;
	__u32 l3off;
	__u32 l4off;
	__u32 len;
	__u8 tcp_flags;
	__u8 icmp_type;
	__u8 icmp_code;
	/* An ICMP error about the connection in `key`, which is then the packet
	 * quoted in the error (it went the opposite way). */
	__u8 related;
};

static __always_inline void ct_reverse(const struct ct_key *k, struct ct_key *r)
{
	r->saddr = k->daddr;
	r->daddr = k->saddr;
	r->sport = k->dport;
	r->dport = k->sport;
	r->proto = k->proto;
	r->pad[0] = r->pad[1] = r->pad[2] = 0;
}

/* Ports (or the echo identifier) of the L4 header at the cursor into k. */
static __always_inline int ct_parse_l4(struct cursor *c, struct ct_key *k, struct ct_packet *p)
{
	/* A quote in an ICMP error (no p) may stop 8 bytes into the TCP
	 * header (RFC 792): its ports sit where UDP's do. */
	if (k->proto == IPPROTO_UDP || (k->proto == IPPROTO_TCP && !p)) {
		struct udphdr *uh = parse_udphdr(c);
		if (!uh)
			return -1;
		k->sport = uh->source;
		k->dport = uh->dest;
		return 0;
	}
	if (k->proto == IPPROTO_TCP) {
		struct tcphdr *th = parse_tcphdr(c);
		if (!th)
			return -1;
		k->sport = th->source;
		k->dport = th->dest;
		p->tcp_flags = ((__u8 *)th)[13];
		return 0;
	}
	if (k->proto == IPPROTO_ICMP) {
		struct icmphdr *ih = parse_icmphdr(c);
		if (!ih)
			return -1;
		if (p) {
			p->icmp_type = ih->type;
			p->icmp_code = ih->code;
		}
		if (ih->type != CT_ICMP_ECHO && ih->type != CT_ICMP_ECHO_REPLY)
			return 1;
		k->sport = k->dport = ih->un.echo.id;
		return 0;
	}
	return -1;
}

/* Fills p from the IPv4 header `ip` just parsed with the cursor `c` (which
 * moves on). Returns 0 for a trackable packet (TCP, UDP, ICMP echo, or an
 * ICMP error quoting one: p->related), -1 otherwise (other protocols,
 * non-first fragments, truncated headers). */
static __always_inline int ct_parse(hover_ctx *ctx, struct cursor *c, struct iphdr *ip, struct ct_packet *p)
{
	void *data = hook_data(ctx);
	__builtin_memset(p, 0, sizeof(*p));
	if (ip->frag_off & bpf_htons(0x1fff))
		return -1;
	p->l3off = (__u32)((void *)ip - data);
	p->l4off = (__u32)(c->pos - data);
	p->len = hook_len(ctx);
	p->key.saddr = ip->saddr;
	p->key.daddr = ip->daddr;
	p->key.proto = ip->protocol;
	int rc = ct_parse_l4(c, &p->key, p);
	if (rc <= 0)
		return rc;
	/* An ICMP error: the quoted header names the connection. */
	if (p->icmp_type != CT_ICMP_DEST_UNREACH && p->icmp_type != CT_ICMP_TIME_EXCEEDED &&
	    p->icmp_type != CT_ICMP_PARAMETERPROB)
		return -1;
	struct iphdr *inner = parse_iphdr(c);
	if (!inner || (inner->frag_off & bpf_htons(0x1fff)))
		return -1;
	struct ct_key quoted = { .saddr = inner->saddr, .daddr = inner->daddr, .proto = inner->protocol };
	if (ct_parse_l4(c, &quoted, 0) != 0)
		return -1;
	p->key = quoted;
	p->related = 1;
	return 0;
}

/* The connection of a packet with key k: the entry and the packet's
 * direction, and the connection's original key in *orig. NULL when none. */
static __always_inline struct ct_entry *ct_lookup(void *ct, void *ct_reply, const struct ct_key *k,
						  struct ct_key *orig, int *dir)
{
	struct ct_entry *e = bpf_map_lookup_elem(ct, k);
	if (e) {
		*orig = *k;
		*dir = CT_ORIG;
		return e;
	}
	struct ct_key *o = bpf_map_lookup_elem(ct_reply, k);
	if (o) {
		*orig = *o;
		e = bpf_map_lookup_elem(ct, orig);
		if (e) {
			*dir = CT_REPLY;
			return e;
		}
	}
	*dir = CT_NEW;
	return 0;
}

/* Forgets a connection (both keys). */
static __always_inline void ct_delete(void *ct, void *ct_reply, const struct ct_key *orig, const struct ct_entry *e)
{
	struct ct_key reply = e->reply;
	bpf_map_delete_elem(ct_reply, &reply);
	bpf_map_delete_elem(ct, orig);
}

static __always_inline struct ct_timeouts *ct_timeouts_of(void *cfg)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(cfg, &zero);
}

static __always_inline __u64 ct_timeout(const struct ct_entry *e, const struct ct_timeouts *t)
{
	switch (e->tcp_state) {
	case CT_TCP_SYN_SENT:
	case CT_TCP_SYN_RECV:
		return t->tcp_syn_ns;
	case CT_TCP_ESTABLISHED:
		return t->tcp_established_ns;
	case CT_TCP_FIN_WAIT:
		return t->tcp_fin_ns;
	case CT_TCP_CLOSE:
		return t->tcp_close_ns;
	}
	if (e->reply.proto == IPPROTO_ICMP)
		return t->icmp_ns;
	return (e->flags & CT_F_SEEN_REPLY) ? t->udp_stream_ns : t->udp_ns;
}

static __always_inline int ct_expired(const struct ct_entry *e, const struct ct_timeouts *t, __u64 now)
{
	return t && now > e->last_seen_ns && now - e->last_seen_ns > ct_timeout(e, t);
}

/* ct_expired, reading the timeouts only for a connection idle long enough to
 * be at risk: no timeout is below CT_MIN_TIMEOUT_NS, so a busy flow never
 * pays for the lookup. */
static __always_inline int ct_expired_by(const struct ct_entry *e, void *cfg, __u64 now)
{
	if (now <= e->last_seen_ns || now - e->last_seen_ns <= CT_MIN_TIMEOUT_NS)
		return 0;
	return ct_expired(e, ct_timeouts_of(cfg), now);
}

/* The time connections are stamped with: the tick-resolution clock, cheaper
 * than bpf_ktime_get_ns and as good for timeouts of whole seconds. It is
 * CLOCK_MONOTONIC_COARSE, never ahead of the daemon's CLOCK_MONOTONIC. */
static __always_inline __u64 ct_now(void)
{
	return bpf_ktime_get_coarse_ns();
}

/* The TCP state after a packet with `flags` going `dir`; FINs seen are
 * recorded in *ctflags. */
static __always_inline __u32 ct_tcp_next(__u32 state, __u32 *ctflags, int dir, __u8 flags)
{
	if (flags & CT_TCP_RST)
		return CT_TCP_CLOSE;
	/* A new SYN on a closed connection reopens it (port reuse). */
	if (state == CT_TCP_CLOSE && dir == CT_ORIG && (flags & (CT_TCP_SYN | CT_TCP_ACK)) == CT_TCP_SYN) {
		*ctflags &= ~(CT_F_FIN_ORIG | CT_F_FIN_REPLY);
		return CT_TCP_SYN_SENT;
	}
	if (flags & CT_TCP_FIN) {
		*ctflags |= dir == CT_REPLY ? CT_F_FIN_REPLY : CT_F_FIN_ORIG;
		if ((*ctflags & (CT_F_FIN_ORIG | CT_F_FIN_REPLY)) == (CT_F_FIN_ORIG | CT_F_FIN_REPLY))
			return CT_TCP_CLOSE;
		return state == CT_TCP_CLOSE ? state : CT_TCP_FIN_WAIT;
	}
	if (state == CT_TCP_SYN_SENT && dir == CT_REPLY && (flags & (CT_TCP_SYN | CT_TCP_ACK)) == (CT_TCP_SYN | CT_TCP_ACK))
		return CT_TCP_SYN_RECV;
	if (state == CT_TCP_SYN_RECV && dir == CT_ORIG && (flags & (CT_TCP_SYN | CT_TCP_ACK)) == CT_TCP_ACK)
		return CT_TCP_ESTABLISHED;
	return state;
}

/* Counts a packet of a known connection and moves its state on. ICMP errors
 * (related) change nothing: they do not keep a connection alive. */
static __always_inline void ct_account(struct ct_entry *e, int dir, const struct ct_packet *p, __u64 now)
{
	if (p->related)
		return;
	e->last_seen_ns = now;
	if (dir == CT_REPLY) {
		e->packets_reply++;
		e->bytes_reply += p->len;
		e->flags |= CT_F_SEEN_REPLY;
	} else {
		e->packets_orig++;
		e->bytes_orig += p->len;
	}
	if (p->key.proto == IPPROTO_TCP) {
		__u32 flags = e->flags;
		e->tcp_state = ct_tcp_next(e->tcp_state, &flags, dir, p->tcp_flags);
		e->flags = flags;
	}
}

/* Opens a connection whose original direction is the packet's key and whose
 * replies will carry `reply`. The reply key is claimed atomically: when
 * another connection holds it (a NAT port taken) nothing is written and -1
 * is returned, so the caller can try another translation; 0 once opened. */
static __always_inline int ct_create(void *ct, void *ct_reply, const struct ct_key *orig,
						  const struct ct_key *reply, const struct ct_packet *p,
						  const __u32 data[4], __u64 now)
{
	if (bpf_map_update_elem(ct_reply, reply, orig, BPF_NOEXIST))
		return -1;
	struct ct_entry e = {
		.reply = *reply,
		.created_ns = now,
		.last_seen_ns = now,
		.packets_orig = 1,
		.bytes_orig = p->len,
	};
	if (orig->proto == IPPROTO_TCP) {
		__u8 f = p->tcp_flags;
		/* Picked up mid-stream (after a restart of whoever tracked it
		 * before): taken as established, as Linux does by default. */
		e.tcp_state = (f & (CT_TCP_SYN | CT_TCP_ACK)) == CT_TCP_SYN ? CT_TCP_SYN_SENT : CT_TCP_ESTABLISHED;
		if (f & CT_TCP_RST)
			e.tcp_state = CT_TCP_CLOSE;
	}
	e.data[0] = data[0];
	e.data[1] = data[1];
	e.data[2] = data[2];
	e.data[3] = data[3];
	if (bpf_map_update_elem(ct, orig, &e, BPF_ANY)) {
		bpf_map_delete_elem(ct_reply, reply);
		return -1;
	}
	return 0;
}

/* ct_lookup for connections that are alive: an expired connection is
 * deleted (both keys, so that its reply key is free again) and NULL returned. */
static __always_inline struct ct_entry *ct_lookup_live(void *ct, void *ct_reply, void *cfg, const struct ct_key *k,
						       struct ct_key *orig, int *dir, __u64 now)
{
	struct ct_entry *e = ct_lookup(ct, ct_reply, k, orig, dir);
	if (e && ct_expired_by(e, cfg, now)) {
		ct_delete(ct, ct_reply, orig, e);
		*dir = CT_NEW;
		return 0;
	}
	return e;
}

#endif
