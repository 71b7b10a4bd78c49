/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* GTP matcher tables shared with src/IoModules/Gtp (layouts checked by a test). */
#ifndef HOVER_GTP_TYPES_H
#define HOVER_GTP_TYPES_H

#include <linux/types.h>

#define GTP_MAX_PORTS 32
#define GTP_MAX_RULES 16384
#define GTP_PORT_NONE 0xffffffffu /* a port named by config that the module does not have */
#define GTP_RULE_NONE 0xffffffffu /* punt word 3 when the default action punted */

#define GTP_UDP_PORT_C 2123 /* GTPv2-C, TS 29.274 */
#define GTP_UDP_PORT_U 2152 /* GTPv1-U, TS 29.281 */

enum gtp_action {
	GTP_ACT_DROP = 0,
	GTP_ACT_FORWARD = 1, /* out of the port named with the action */
	GTP_ACT_PUNT = 2,    /* to the slow path, which records it in the `punted` table */
	GTP_ACT_PASS = 3,    /* to the kernel stack of the netdev the packet entered on (non-GTP only) */
};

/* gtp_rules key. A message with a TEID matches {teid, version, type} first,
 * then {teid, version, 0, GTP_KEY_ANY_TYPE}. A GTPv2-C message without one
 * (T = 0: echo, version not supported) has teid 0 and GTP_KEY_NO_TEID, so it
 * never matches a rule for TEID 0, which a Create Session Request carries. */
#define GTP_KEY_ANY_TYPE (1u << 0)
#define GTP_KEY_NO_TEID (1u << 1)

struct gtp_rule_key {
	__u32 teid;
	__u8 version;  /* 1 or 2 */
	__u8 msg_type; /* 0 with GTP_KEY_ANY_TYPE */
	__u8 flags;    /* GTP_KEY_* */
	__u8 pad;
};

struct gtp_rule {
	__u32 action;  /* enum gtp_action: forward, drop or punt */
	__u32 port;    /* GTP_ACT_FORWARD */
	__u32 rule_id; /* index of the rule's gtp_rule_stats slot, < GTP_MAX_RULES */
	__u32 pad;
};

/* gtp_rule_stats[rule_id] and gtp_counters[enum gtp_counter], per CPU. */
struct gtp_count {
	__u64 packets;
	__u64 bytes;
};

enum gtp_counter {
	GTP_CNT_GTPV1U = 0,        /* well-formed GTPv1-U messages */
	GTP_CNT_GTPV2C = 1,        /* well-formed GTPv2-C messages */
	GTP_CNT_UNMATCHED = 2,     /* well-formed messages no rule matched: the default action */
	GTP_CNT_NON_GTP = 3,       /* not UDP to 2123 or 2152 over unfragmented IPv4 */
	GTP_CNT_TRUNCATED = 4,     /* the frame or the UDP datagram ends inside the GTP header */
	GTP_CNT_BAD_VERSION = 5,   /* not version 2 on 2123, not version 1 on 2152 */
	GTP_CNT_BAD_LENGTH = 6,    /* message length does not agree with the UDP length */
	GTP_CNT_BAD_PROTOCOL = 7,  /* GTPv1 with PT = 0 (GTP') */
	GTP_CNT_MAX = 8,
};

#define GTP_CFG_MALFORMED_PASS (1u << 0) /* malformed messages are handled as non-GTP traffic */

/* gtp_cfg[0]. A port is GTP_PORT_NONE while the config names one the module lacks. */
struct gtp_config {
	__u32 default_action; /* forward, drop or punt */
	__u32 default_port;
	__u32 non_gtp_action; /* forward, drop or pass */
	__u32 non_gtp_port;
	__u32 flags;          /* GTP_CFG_* */
	__u32 pad;
};

/* gtp_ports[port]: frames forwarded out of a port with GTP_PORT_SET_DMAC get its dmac. */
#define GTP_PORT_SET_DMAC (1u << 0)

struct gtp_port {
	__u8 dmac[6];
	__u16 flags; /* GTP_PORT_* */
};

/* Punt reasons (struct hover_punt.reason); the words of both: */
enum gtp_punt_reason {
	GTP_PUNT_RULE = 16,    /* a rule with action punt matched */
	GTP_PUNT_DEFAULT = 17, /* no rule matched and the default action is punt */
};

#define GTP_WORD_PRESENT (1ull << 32)
/* words[0]: TEID in the low 32 bits, | GTP_WORD_PRESENT when the message carries one
 * words[1]: version | message type << 8
 * words[2]: sequence number in the low 32 bits, | GTP_WORD_PRESENT when the message carries one
 * words[3]: rule_id of the rule, or GTP_RULE_NONE */

#endif
