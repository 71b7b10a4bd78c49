/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Incremental Internet checksum update (RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m')).
 * Hook-independent plain C on packet memory the caller has bounds-checked
 * (through parse.h), or on any other memory. Values are taken as they sit in
 * the packet (network order): one's complement sums do not depend on byte
 * order, so nothing is swapped.
 *
 * An 8-bit field is replaced through the 16-bit word that holds it (e.g. the
 * IPv4 TTL with the protocol, the ICMP type with the code); a checksum that
 * covers a pseudo-header (TCP, UDP) is updated for an address change with
 * csum_replace4 as well. UDP's "no checksum" (0) is the caller's business: a
 * zero UDP checksum must stay 0, and a computed 0 must be sent as 0xffff
 * (csum_mangled_udp).
 */
#ifndef HOVER_CSUM_H
#define HOVER_CSUM_H

#include <linux/types.h>

/* Folds a 32-bit one's complement sum into 16 bits. */
static __always_inline __u16 csum_fold32(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/* The checksum *sum after the 16-bit word `from` it covers became `to`. */
static __always_inline void csum_replace2(__sum16 *sum, __be16 from, __be16 to)
{
	__u32 s = (__u16)~*sum;
	s += (__u16)~from;
	s += (__u16)to;
	*sum = (__sum16)~csum_fold32(s);
}

/* The checksum *sum after the 32-bit word `from` it covers became `to`. */
static __always_inline void csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	__u32 s = (__u16)~*sum;
	s += (__u16)~from;
	s += (__u16)~(from >> 16);
	s += (__u16)to;
	s += (__u16)(to >> 16);
	*sum = (__sum16)~csum_fold32(s);
}

/* For UDP after an incremental update: a checksum that came out as 0 must be
 * sent as 0xffff (0 means "none"). Only when the original was not 0. */
static __always_inline void csum_mangled_udp(__sum16 *sum)
{
	if (*sum == 0)
		*sum = (__sum16)0xffff;
}

#endif
