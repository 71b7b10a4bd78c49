/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Rewriting the packet an ICMP error quotes (RFC 5508 4.2, RFC 3022 4.3): a
 * translator that changes a flow's tuple must change it inside the errors
 * about the flow too, or the host they reach cannot match them (path MTU
 * discovery, unreachable ports). The quoted IPv4 addresses go with the quoted
 * header checksum, the quoted ports (echo identifier) and addresses with the
 * quoted L4 checksum when the quote holds it, and every word changed is folded
 * into the error's own ICMP checksum, so the sum over the error stays what it
 * was: a CHECKSUM_COMPLETE skb stays right without helpers.
 *
 * The quote is reached through parse.h cursors and written in place (ICMP is
 * never checksum-offloaded); call before rewrite.h's helpers, which invalidate
 * packet pointers. Returns 0 on success, -1 when the quote is too short.
 */
#ifndef HOVER_REWRITE_QUOTED_H
#define HOVER_REWRITE_QUOTED_H

#include "parse.h"
#include "rewrite.h"
#include "ct_types.h"

/* A 32-bit word of the quote and the checksums that cover it. l4sum may be
 * NULL (not in the quote, or a UDP datagram without a checksum). */
static __always_inline void rwq_word4(__sum16 *icmpsum, __sum16 *l3sum, __sum16 *l4sum, __be32 *field, __be32 to)
{
	__be32 from = *field;
	*field = to;
	csum_replace4(icmpsum, from, to);
	__sum16 before = *l3sum;
	csum_replace4(l3sum, from, to);
	csum_replace2(icmpsum, before, *l3sum);
	if (l4sum) {
		before = *l4sum;
		csum_replace4(l4sum, from, to);
		csum_replace2(icmpsum, before, *l4sum);
	}
}

static __always_inline void rwq_word2(__sum16 *icmpsum, __sum16 *l4sum, __be16 *field, __be16 to)
{
	__be16 from = *field;
	*field = to;
	csum_replace2(icmpsum, from, to);
	if (l4sum) {
		__sum16 before = *l4sum;
		csum_replace2(l4sum, from, to);
		csum_replace2(icmpsum, before, *l4sum);
	}
}

/* The quote of the ICMP error whose ICMP header is at l4off, whose tuple
 * (conntrack.h's view of it: ports, or the echo identifier in both) is
 * `from`, gets the tuple `to`. */
static __always_inline int rw_quoted(hover_ctx *ctx, __u32 l4off, const struct ct_key *from, const struct ct_key *to)
{
	if (l4off > RW_MAX_L4OFF)
		return -1;
	struct cursor c = { .pos = hook_data(ctx) + l4off, .end = hook_data_end(ctx) };
	struct icmphdr *icmp = parse_icmphdr(&c);
	if (!icmp)
		return -1;
	struct iphdr *ip = parse_iphdr(&c);
	if (!ip)
		return -1;
	/* The quote may stop after 8 bytes of L4 header (RFC 792): the ports
	 * are there, TCP's checksum may not be. */
	__u8 *l4 = c.pos;
	if ((void *)(l4 + 8) > c.end)
		return -1;
	__sum16 *l4sum = 0;
	__u8 proto = from->proto;
	if (proto == IPPROTO_TCP) {
		if ((void *)(l4 + offsetof(struct tcphdr, check) + 2) <= c.end)
			l4sum = (__sum16 *)(l4 + offsetof(struct tcphdr, check));
	} else if (proto == IPPROTO_UDP) {
		l4sum = (__sum16 *)(l4 + offsetof(struct udphdr, check));
		if (!*l4sum)
			l4sum = 0;
	} else {
		l4sum = (__sum16 *)(l4 + offsetof(struct icmphdr, checksum));
	}
	/* Only TCP and UDP checksums cover the addresses (pseudo-header). */
	__sum16 *pseudo = proto == IPPROTO_ICMP ? 0 : l4sum;

	if (from->saddr != to->saddr)
		rwq_word4(&icmp->checksum, &ip->check, pseudo, &ip->saddr, to->saddr);
	if (from->daddr != to->daddr)
		rwq_word4(&icmp->checksum, &ip->check, pseudo, &ip->daddr, to->daddr);
	if (proto == IPPROTO_ICMP) {
		if (from->sport != to->sport)
			rwq_word2(&icmp->checksum, l4sum, (__be16 *)(l4 + offsetof(struct icmphdr, un.echo.id)), to->sport);
		return 0;
	}
	if (from->sport != to->sport)
		rwq_word2(&icmp->checksum, l4sum, (__be16 *)(l4 + offsetof(struct udphdr, source)), to->sport);
	if (from->dport != to->dport)
		rwq_word2(&icmp->checksum, l4sum, (__be16 *)(l4 + offsetof(struct udphdr, dest)), to->dport);
	if (proto == IPPROTO_UDP && l4sum)
		csum_mangled_udp(l4sum);
	return 0;
}

#endif
