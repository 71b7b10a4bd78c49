/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Bounds-checked parsing. A cursor walks the frame; every parse_* checks the
 * header fits before data_end, advances the cursor and returns the header (or
 * NULL). Every packet access in a module goes through these.
 */
#ifndef HOVER_PARSE_H
#define HOVER_PARSE_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <linux/icmp.h>
#include <linux/if_arp.h>
#include "hook.h"

struct cursor {
	void *pos;
	void *end;
};

static __always_inline void cursor_init(struct cursor *c, hover_ctx *ctx)
{
	c->pos = hook_data(ctx);
	c->end = hook_data_end(ctx);
}

#define PARSE_FN(name, type)                                                   \
	static __always_inline type *parse_##name(struct cursor *c)            \
	{                                                                      \
		type *h = c->pos;                                              \
		if ((void *)(h + 1) > c->end)                                  \
			return 0;                                              \
		c->pos = h + 1;                                                \
		return h;                                                      \
	}

PARSE_FN(ethhdr, struct ethhdr)
PARSE_FN(udphdr, struct udphdr)
PARSE_FN(tcphdr, struct tcphdr)
PARSE_FN(icmphdr, struct icmphdr)
PARSE_FN(arphdr, struct arphdr)

/* The body of an ARP packet for IPv4 over Ethernet (after struct arphdr, when
 * ar_hrd = ARPHRD_ETHER, ar_pro = ETH_P_IP, ar_hln = 6, ar_pln = 4). Packed: the
 * addresses are not naturally aligned, so the compiler reads them bytewise. */
struct arp_ipv4 {
	__u8 sha[ETH_ALEN];
	__be32 spa;
	__u8 tha[ETH_ALEN];
	__be32 tpa;
} __attribute__((packed));
PARSE_FN(arp_ipv4, struct arp_ipv4)

struct vlan_tag {
	__be16 tci;
	__be16 proto;
};
PARSE_FN(vlan_tag, struct vlan_tag)

/* IPv4 header including options; the cursor moves past ihl * 4 bytes. */
static __always_inline struct iphdr *parse_iphdr(struct cursor *c)
{
	struct iphdr *ip = c->pos;
	if ((void *)(ip + 1) > c->end)
		return 0;
	__u32 hl = ip->ihl * 4;
	if (hl < sizeof(*ip) || c->pos + hl > c->end)
		return 0;
	c->pos += hl;
	return ip;
}

/* Ethernet header and up to one 802.1Q tag. Returns the inner ethertype
 * (network order) or 0 when the frame is truncated; *vid is the tag's VID or
 * 0 when untagged. */
static __always_inline __be16 parse_l2(struct cursor *c, struct ethhdr **eth, __u16 *vid)
{
	*vid = 0;
	*eth = parse_ethhdr(c);
	if (!*eth)
		return 0;
	__be16 proto = (*eth)->h_proto;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_tag *tag = parse_vlan_tag(c);
		if (!tag)
			return 0;
		*vid = bpf_ntohs(tag->tci) & 0x0fff;
		proto = tag->proto;
	}
	return proto;
}

/* GTP over UDP. The first four octets are the same in GTPv1 (TS 29.281 5.1)
 * and GTPv2-C (TS 29.274 5.1): flags (version in the top three bits), message
 * type, and the length of what follows them (v2) or of what follows the
 * eight mandatory octets (v1). */
struct gtphdr {
	__u8 flags;
	__u8 type;
	__be16 length;
};
PARSE_FN(gtphdr, struct gtphdr)

#define GTP_VERSION(flags) ((flags) >> 5)
#define GTPV1_PT 0x10  /* protocol type: 1 GTP, 0 GTP' */
#define GTPV1_E 0x04   /* an extension header follows */
#define GTPV1_S 0x02   /* the sequence number is valid */
#define GTPV1_PN 0x01  /* the N-PDU number is valid */
#define GTPV2_P 0x10   /* another message is piggybacked after this one */
#define GTPV2_T 0x08   /* the header carries a TEID */

struct gtp_teid {
	__be32 teid;
};
PARSE_FN(gtp_teid, struct gtp_teid)

/* GTPv1 optional octets, present when any of E, S, PN is set. */
struct gtpv1_opt {
	__be16 seq;
	__u8 npdu;
	__u8 next_ext;
};
PARSE_FN(gtpv1_opt, struct gtpv1_opt)

/* GTPv2-C: the three-octet sequence number and a spare (or priority) octet. */
struct gtpv2_seq {
	__u8 seq[3];
	__u8 spare;
};
PARSE_FN(gtpv2_seq, struct gtpv2_seq)

#endif
