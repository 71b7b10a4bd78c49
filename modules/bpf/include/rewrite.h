/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Rewriting IPv4 addresses and L4 ports (or the ICMP echo identifier) with
 * their checksums, for both hooks. Offsets are from the start of the frame
 * (struct ct_packet has them). TC goes through the skb helpers, which also
 * handle checksums a device will finish (CHECKSUM_PARTIAL); XDP writes the
 * bytes and updates the checksums incrementally (csum.h). Either way every
 * packet pointer taken before a call is invalid after it: parse again.
 * Return 0 on success, -1 when the frame is too short.
 */
#ifndef HOVER_REWRITE_H
#define HOVER_REWRITE_H

#include <stddef.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include "hook.h"
#include "csum.h"

/* Offsets the verifier can bound: Ethernet + VLAN + IPv4 with options. */
#define RW_MAX_L3OFF 32
#define RW_MAX_L4OFF 128

static __always_inline __u32 rw_csum_off(__u8 proto)
{
	return proto == IPPROTO_TCP ? offsetof(struct tcphdr, check)
	     : proto == IPPROTO_UDP ? offsetof(struct udphdr, check)
				    : offsetof(struct icmphdr, checksum);
}

/* Source (dst = 0) or destination (dst = 1) address: IP header checksum and,
 * for TCP and UDP, the pseudo-header part of the L4 checksum. */
static __always_inline int rw_addr(hover_ctx *ctx, __u32 l3off, __u32 l4off, __u8 proto, int dst, __be32 from, __be32 to)
{
	if (l3off > RW_MAX_L3OFF || l4off > RW_MAX_L4OFF)
		return -1;
#if defined(HOVER_TC)
	__u32 field = dst ? offsetof(struct iphdr, daddr) : offsetof(struct iphdr, saddr);
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		__u64 flags = BPF_F_PSEUDO_HDR | sizeof(to) | (proto == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0);
		if (bpf_l4_csum_replace(ctx, l4off + rw_csum_off(proto), from, to, flags))
			return -1;
	}
	if (bpf_l3_csum_replace(ctx, l3off + offsetof(struct iphdr, check), from, to, sizeof(to)))
		return -1;
	return bpf_skb_store_bytes(ctx, l3off + field, &to, sizeof(to), 0) ? -1 : 0;
#else
	void *data = hook_data(ctx), *end = hook_data_end(ctx);
	struct iphdr *ip = data + l3off;
	if ((void *)(ip + 1) > end)
		return -1;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = data + l4off;
		if ((void *)(th + 1) > end)
			return -1;
		csum_replace4(&th->check, from, to);
	} else if (proto == IPPROTO_UDP) {
		struct udphdr *uh = data + l4off;
		if ((void *)(uh + 1) > end)
			return -1;
		if (uh->check) {
			csum_replace4(&uh->check, from, to);
			csum_mangled_udp(&uh->check);
		}
	}
	csum_replace4(&ip->check, from, to);
	if (dst)
		ip->daddr = to;
	else
		ip->saddr = to;
	return 0;
#endif
}

/* Source (dst = 0) or destination (dst = 1) TCP/UDP port, or the ICMP echo
 * identifier (dst ignored). */
static __always_inline int rw_port(hover_ctx *ctx, __u32 l4off, __u8 proto, int dst, __be16 from, __be16 to)
{
	__u32 field = proto == IPPROTO_ICMP ? offsetof(struct icmphdr, un.echo.id)
		    : dst ? offsetof(struct udphdr, dest) : offsetof(struct udphdr, source);
	if (l4off > RW_MAX_L4OFF)
		return -1;
#if defined(HOVER_TC)
	__u64 flags = sizeof(to) | (proto == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0);
	if (bpf_l4_csum_replace(ctx, l4off + rw_csum_off(proto), from, to, flags))
		return -1;
	return bpf_skb_store_bytes(ctx, l4off + field, &to, sizeof(to), 0) ? -1 : 0;
#else
	void *data = hook_data(ctx), *end = hook_data_end(ctx);
	/* TCP and UDP ports sit where the ICMP echo identifier does not, but all
	 * three headers are at least 8 bytes: check the largest this needs. */
	__u8 *l4 = data + l4off;
	if ((void *)(l4 + (proto == IPPROTO_TCP ? sizeof(struct tcphdr) : 8)) > end)
		return -1;
	__sum16 *sum = (__sum16 *)(l4 + rw_csum_off(proto));
	if ((void *)(sum + 1) > end)
		return -1;
	if (proto != IPPROTO_UDP || *sum) {
		csum_replace2(sum, from, to);
		if (proto == IPPROTO_UDP)
			csum_mangled_udp(sum);
	}
	*(__be16 *)(l4 + field) = to;
	return 0;
#endif
}

#endif
