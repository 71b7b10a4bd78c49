/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Firewall: a bump in the wire between an inside port (the protected side)
 * and an outside port that filters IPv4 both ways with OVN ACL semantics.
 * Frames cross unchanged. Per IPv4 packet:
 *  - A packet of a connection an allow-related rule committed (either way),
 *    or an ICMP error about one, passes on the connection alone while that
 *    rule is in force. Once the rule is gone or replaced, the connection's
 *    packets are classified again, as established (or related).
 *  - Everything else is classified: a tuple space search (firewall_types.h)
 *    in the generation in force, one hash lookup per tuple at most, the
 *    highest rank wins; nothing matching takes the default action.
 *  - allow passes, allow-related passes and commits the connection, drop
 *    drops, reject punts for the slow path to answer (TCP RST or ICMP
 *    unreachable).
 * ARP and everything else that is not IPv4 passes; frames with two VLAN tags
 * are dropped (their payload cannot be inspected).
 */
#include <linux/in.h>
#include "include/hover.h"
#include "include/parse.h"
#include "include/conntrack.h"
#include "include/firewall_types.h"

/* IPv4 fragment offset (host order). */
#define IP_OFFSET 0x1fff

CT_MAPS(fw);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct fw_port);
} fw_ports SEC(".maps");

/* fw_gen[0]: the version of the rule set in force; its generation is the low bit. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fw_gen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct fw_set);
} fw_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * FW_GEN_KEYS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fw_key);
	__type(value, struct fw_verdict);
} fw_keys SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * FW_MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u32);
} fw_live SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FW_MAX_SLOTS);
	__type(key, __u32);
	__type(value, struct fw_hits);
} fw_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fw_epoch);
} fw_epoch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FW_MAX_SLOTS);
	__type(key, __u32);
	__type(value, struct fw_rule);
} fw_rules SEC(".maps");

/* The fetching form of the atomic add, because it is a full barrier on every
 * JIT (x86 LOCK XADD, arm64 LDADDAL): the epoch must be visible before the
 * packet reads fw_gen, and every read done before `finished` moves. */
static __always_inline void fw_epoch_add(__u64 *counter)
{
	__u64 old = __sync_fetch_and_add(counter, 1);
	asm volatile("" : : "r"(old));
}

/* Ports (ICMP: type and code) and TCP flags of the L4 header at the cursor.
 * Returns -1 when the header is truncated. */
static __always_inline int fw_parse_l4(struct cursor *c, struct fw_key *k)
{
	if (k->proto == IPPROTO_TCP) {
		struct tcphdr *th = parse_tcphdr(c);
		if (!th)
			return -1;
		k->sport = th->source;
		k->dport = th->dest;
		k->tcp_flags = ((__u8 *)th)[13];
	} else if (k->proto == IPPROTO_UDP) {
		struct udphdr *uh = parse_udphdr(c);
		if (!uh)
			return -1;
		k->sport = uh->source;
		k->dport = uh->dest;
	} else if (k->proto == IPPROTO_ICMP) {
		struct icmphdr *ih = parse_icmphdr(c);
		if (!ih)
			return -1;
		k->sport = bpf_htons(ih->type);
		k->dport = bpf_htons(ih->code);
	}
	return 0;
}

/* The state of a trackable packet that belongs to no connection. */
static __always_inline __u8 fw_state_unknown(const struct ct_packet *p)
{
	if (p->related)
		return FW_CT_INVALID; /* an error about nothing that went through */
	if (p->key.proto == IPPROTO_TCP)
		return (p->tcp_flags & (CT_TCP_SYN | CT_TCP_ACK | CT_TCP_RST)) == CT_TCP_SYN ? FW_CT_NEW : FW_CT_INVALID;
	if (p->key.proto == IPPROTO_ICMP && p->icmp_type == CT_ICMP_ECHO_REPLY)
		return FW_CT_INVALID;
	return FW_CT_NEW;
}

/* Whether a packet crossing `dir` can be of connection e: the first packet
 * went e->data[FW_CT_DIR], replies go the other way, and an ICMP error goes
 * against the packet it quotes. An echo's key is the same both ways (the
 * identifier), so requests must go as the connection was opened and replies
 * the other way. Anything else is spoofed. */
static __always_inline int fw_same_way(const struct ct_entry *e, int ctdir, const struct ct_packet *p, __u8 dir)
{
	if (!p->related && p->key.proto == IPPROTO_ICMP && (ctdir == CT_ORIG) != (p->icmp_type == CT_ICMP_ECHO))
		return 0;
	int as_opened = (ctdir == CT_ORIG) != (p->related != 0);
	__u32 opened = e->data[FW_CT_DIR];
	return dir == (as_opened ? opened : FW_DIR_INGRESS + FW_DIR_EGRESS - opened);
}

/* Whether the rule that committed e is in force in generation gen. */
static __always_inline int fw_rule_in_force(__u32 gen, const struct ct_entry *e)
{
	__u32 slot = e->data[FW_CT_SLOT];
	if (slot >= FW_MAX_SLOTS)
		return 0;
	__u32 i = slot * 2 + gen;
	__u32 *serial = bpf_map_lookup_elem(&fw_live, &i);
	return serial && *serial && *serial == e->data[FW_CT_SERIAL];
}

struct fw_search {
	const struct fw_set *set;
	const struct fw_key *k;
	struct fw_verdict best;
	int found;
};

/* Tuple `i` of the search: a bpf_loop callback, so the verifier checks it
 * once rather than once per tuple. Returns 1 (stop) past the last tuple or
 * once no remaining tuple can beat what was found. */
static long fw_search_tuple(__u64 i, void *data)
{
	struct fw_search *s = data;
	if (i >= FW_MAX_TUPLES || i >= s->set->count)
		return 1;
	const struct fw_mask *m = &s->set->masks[i];
	if (s->found && m->max_rank <= s->best.rank)
		return 1;
	const struct fw_key *k = s->k;
	struct fw_key mk = {
		.gen = k->gen,
		.tuple = (__u8)m->tuple,
		.dir = k->dir,
		.proto = k->proto & m->proto,
		.saddr = k->saddr & m->saddr,
		.daddr = k->daddr & m->daddr,
		.sport = k->sport & m->sport,
		.dport = k->dport & m->dport,
		.tcp_flags = k->tcp_flags & m->tcp_flags,
		.ct_state = k->ct_state & m->ct_state,
	};
	struct fw_verdict *v = bpf_map_lookup_elem(&fw_keys, &mk);
	if (v && (!s->found || v->rank > s->best.rank)) {
		s->best = *v;
		s->found = 1;
	}
	return 0;
}

/* The tuple space search: the best verdict for k among the tuples of the
 * set, which come highest max_rank first, so the search stops once no
 * remaining tuple can beat what was found. Returns 0 when nothing matches.
 * A global function: the verifier checks it once, not once for every way
 * through the connection tracking that leads to it (a tenth of the time a
 * firewall takes to load). */
__noinline int fw_classify(const struct fw_set *set, const struct fw_key *k, struct fw_verdict *best)
{
	if (!set || !k || !best)
		return 0;
	struct fw_search s = { .set = set, .k = k };
	bpf_loop(FW_MAX_TUPLES, fw_search_tuple, &s, 0);
	if (s.found)
		*best = s.best;
	return s.found;
}

static __always_inline void fw_count_hit(hover_ctx *ctx, __u32 slot)
{
	struct fw_hits *h = bpf_map_lookup_elem(&fw_hits, &slot);
	if (h) {
		h->packets++;
		h->bytes += hook_len(ctx);
	}
}

static __always_inline int fw_ipv4(hover_ctx *ctx, struct hover_md *md, struct cursor *c, struct iphdr *ip, __u8 dir)
{
	__u32 zero = 0;
	__u32 *version = bpf_map_lookup_elem(&fw_gen, &zero);
	if (!version)
		return HOVER_DROP;
	__u32 gen = *version & 1;
	struct fw_set *set = bpf_map_lookup_elem(&fw_sets, &gen);
	if (!set)
		return HOVER_DROP;

	struct fw_key k = {
		.gen = gen, .dir = dir, .proto = ip->protocol, .saddr = ip->saddr, .daddr = ip->daddr,
	};
	struct cursor l4 = *c;
	int fragment = (ip->frag_off & bpf_htons(IP_OFFSET)) != 0;
	int truncated = !fragment && fw_parse_l4(&l4, &k) != 0;

	__u64 now = ct_now();
	struct ct_packet p;
	struct ct_key orig;
	int ctdir = CT_NEW;
	struct ct_entry *e = 0;
	int tracked = ct_parse(ctx, c, ip, &p) == 0;
	if (tracked) {
		e = ct_lookup_live(&fw_ct, &fw_ct_reply, &fw_ct_cfg, &p.key, &orig, &ctdir, now);
		if (e && !fw_same_way(e, ctdir, &p, dir)) {
			e = 0;
			k.ct_state = FW_CT_INVALID;
		} else if (e) {
			if (fw_rule_in_force(gen, e)) {
				ct_account(e, ctdir, &p, now);
				return HOVER_FORWARD;
			}
			k.ct_state = p.related ? FW_CT_RELATED : FW_CT_ESTABLISHED;
		} else {
			k.ct_state = fw_state_unknown(&p);
		}
	} else {
		/* Non-first fragments, truncated headers and ICMP errors whose
		 * quote cannot be read are invalid; other protocols are new
		 * every time (nothing tracks them). */
		int icmp_error = k.proto == IPPROTO_ICMP && (k.sport == bpf_htons(CT_ICMP_DEST_UNREACH) ||
			k.sport == bpf_htons(CT_ICMP_TIME_EXCEEDED) || k.sport == bpf_htons(CT_ICMP_PARAMETERPROB));
		k.ct_state = fragment || truncated || icmp_error ? FW_CT_INVALID : FW_CT_NEW;
	}

	struct fw_verdict v = {};
	__u32 action;
	if (fw_classify(set, &k, &v)) {
		fw_count_hit(ctx, v.slot);
		action = v.action;
	} else {
		action = set->default_action == FW_DROP ? FW_DROP : FW_ALLOW;
	}

	switch (action) {
	case FW_ALLOW_RELATED:
		if (e) {
			/* The connection goes on under the rule that admits it now. */
			e->data[FW_CT_SLOT] = v.slot;
			e->data[FW_CT_SERIAL] = v.serial;
		} else if (tracked && k.ct_state == FW_CT_NEW) {
			struct ct_key reply;
			ct_reverse(&p.key, &reply);
			__u32 data[4] = { v.slot, v.serial, dir, 0 };
			/* A connection that cannot be committed (its reply key is
			 * another's) still lets this packet pass. */
			ct_create(&fw_ct, &fw_ct_reply, &p.key, &reply, &p, data, now);
		}
		/* fall through */
	case FW_ALLOW:
		if (e)
			ct_account(e, ctdir, &p, now);
		return HOVER_FORWARD;
	case FW_REJECT:
		md->reason = FW_PUNT_REJECT;
		return HOVER_PUNT;
	default:
		return HOVER_DROP;
	}
}

static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
{
	__u32 in = md->in_port;
	struct fw_port *port = bpf_map_lookup_elem(&fw_ports, &in);
	if (!port || port->role == FW_ROLE_NONE || port->peer == FW_PORT_NONE)
		return HOVER_DROP;
	md->out_port = port->peer;

	struct cursor c;
	struct ethhdr *eth;
	__u16 vid;
	cursor_init(&c, ctx);
	__be16 proto = parse_l2(&c, &eth, &vid);
	if (!proto || proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD))
		return HOVER_DROP;
	if (proto != bpf_htons(ETH_P_IP))
		return HOVER_FORWARD;
	struct iphdr *ip = parse_iphdr(&c);
	if (!ip || ip->version != 4)
		return HOVER_DROP;

	struct fw_epoch *epoch = bpf_map_lookup_elem(&fw_epoch, &(__u32){ 0 });
	if (!epoch)
		return HOVER_DROP;
	fw_epoch_add(&epoch->started);
	int verdict = fw_ipv4(ctx, md, &c, ip, port->role == FW_ROLE_INSIDE ? FW_DIR_EGRESS : FW_DIR_INGRESS);
	fw_epoch_add(&epoch->finished);
	return verdict;
}

#include "include/hover_module.h"
