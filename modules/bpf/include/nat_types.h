/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* NAT tables shared with src/IoModules/Nat (layouts checked by a test). */
#ifndef HOVER_NAT_TYPES_H
#define HOVER_NAT_TYPES_H

#include <linux/types.h>

#define NAT_SNAT_SIZE 4096
#define NAT_DNAT_SIZE 4096
#define NAT_ARP_SIZE 4096

/* External ports tried for a new flow before it is dropped. */
#define NAT_PORT_TRIES 32

enum nat_rule_type {
	NAT_SNAT = 1,
	NAT_MASQUERADE = 2,
	NAT_DNAT = 3,
	NAT_DNAT_AND_SNAT = 4,
};

/* Which side of the NAT a flow was opened from (ct_entry.data[NAT_CT_SIDE]). */
enum nat_side {
	NAT_INSIDE = 0,
	NAT_OUTSIDE = 1,
};

/* What a NAT keeps in ct_entry.data. */
#define NAT_CT_RULE 0 /* rule_id of the rule that opened the flow */
#define NAT_CT_SIDE 1 /* enum nat_side */
#define NAT_CT_TYPE 2 /* enum nat_rule_type */

#define NAT_HAS_INSIDE (1u << 0)
#define NAT_HAS_OUTSIDE (1u << 1)

/* nat_cfg[0]. The two ports are valid only when their NAT_HAS_* flag is set. */
struct nat_config {
	__u32 inside_port;
	__u32 outside_port;
	__u32 ports;          /* NAT_HAS_* */
	__be32 outside_addr;  /* what masquerade translates to; 0: none */
	__u8 external_mac[6]; /* ARP answers for external addresses; zero: the MAC learned on the inside port */
	__u16 pad;
};

/* nat_snat (LPM trie), by inside source: snat, masquerade, and the outbound half of dnat_and_snat. */
struct nat_snat_key {
	__u32 prefixlen;
	__be32 addr;
};

struct nat_snat_rule {
	__be32 ext_first; /* external addresses; masquerade: 0 (the outside port's) */
	__be32 ext_last;
	__u16 port_first; /* host order; 0 and 0: ports are kept (dnat_and_snat) */
	__u16 port_last;
	__u32 rule_id;
	__u32 type;       /* enum nat_rule_type */
};

/* nat_dnat, by destination as the outside sends it: exact (address, protocol, port), or
 * (address, 0, 0) for address-only dnat and the inbound half of dnat_and_snat. */
struct nat_dnat_key {
	__be32 addr;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct nat_dnat_rule {
	__be32 addr;  /* inside address */
	__be16 port;  /* inside port; 0: kept */
	__u16 pad;
	__u32 rule_id;
	__u32 type;   /* enum nat_rule_type */
};

/* nat_inside_mac[0]: the source MAC last seen on the inside port (the router facing it). */
struct nat_mac {
	__u8 mac[6];
	__u16 known;
};

/* nat_arp[external address]: addresses the NAT answers ARP for on its outside port. */
struct nat_arp_entry {
	__u32 rules; /* how many rules use the address */
};

#endif
