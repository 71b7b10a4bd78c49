/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Connection tracking shared by the stateful modules (NAT, L4 LB, firewall)
 * and mirrored in src/IoModules/Abstractions/Conntrack (layouts checked by a
 * test). Each module instance has its own tables (conntrack.h CT_MAPS).
 */
#ifndef HOVER_CT_TYPES_H
#define HOVER_CT_TYPES_H

#include <linux/types.h>

#define CT_SIZE 262144

/* The shortest idle timeout a connection can have (the daemon refuses less
 * than a second). */
#define CT_MIN_TIMEOUT_NS 1000000000ull

/* One direction of a flow as it appears on the wire. ICMP echo: both ports
 * hold the identifier, so that a reply's key is the request's reversed. */
struct ct_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

enum ct_tcp_state {
	CT_TCP_NONE = 0, /* not TCP */
	CT_TCP_SYN_SENT = 1,
	CT_TCP_SYN_RECV = 2,
	CT_TCP_ESTABLISHED = 3,
	CT_TCP_FIN_WAIT = 4, /* a FIN one way */
	CT_TCP_CLOSE = 5,    /* FINs both ways, or a RST */
};

#define CT_F_SEEN_REPLY (1u << 0)
#define CT_F_FIN_ORIG (1u << 1)
#define CT_F_FIN_REPLY (1u << 2)

/* ct[original key]: a connection. `reply` is how its replies look on the
 * wire: the original key reversed, with any translation applied (NAT, LB).
 * ct_reply[reply] holds the original key. */
struct ct_entry {
	struct ct_key reply;
	__u64 created_ns;
	__u64 last_seen_ns;
	__u64 packets_orig;
	__u64 packets_reply;
	__u64 bytes_orig;
	__u64 bytes_reply;
	__u32 tcp_state; /* enum ct_tcp_state */
	__u32 flags;     /* CT_F_* */
	__u32 data[4];   /* the module's own (a NAT rule, an LB service and backend) */
};

/* ct_cfg[0]: idle timeouts by state. */
struct ct_timeouts {
	__u64 tcp_syn_ns;         /* until established */
	__u64 tcp_established_ns;
	__u64 tcp_fin_ns;
	__u64 tcp_close_ns;
	__u64 udp_ns;             /* no reply seen */
	__u64 udp_stream_ns;      /* replies seen */
	__u64 icmp_ns;
};

#endif
