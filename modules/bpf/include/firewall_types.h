/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Firewall tables shared with src/IoModules/Firewall (layouts checked by a
 * test). The rule set is a tuple space compiled by the daemon: every rule is
 * one or more masked keys; keys with the same masks form a tuple; a packet is
 * looked up once per tuple and the highest rank wins. Two generations of the
 * classifier live side by side (the generation is part of every key); a packet
 * reads fw_gen once and classifies in that generation only, and the daemon
 * changes a generation only while no packet is reading it (fw_epoch).
 */
#ifndef HOVER_FIREWALL_TYPES_H
#define HOVER_FIREWALL_TYPES_H

#include <linux/types.h>

#define FW_MAX_PORTS 2
/* Rule slots: twice the rules a set may hold, so that a whole set can be
 * replaced while the old one is still in force. */
#define FW_MAX_SLOTS 32768
#define FW_MAX_TUPLES 64
#define FW_GEN_KEYS 65536 /* classifier keys of one generation */
#define FW_TEXT 64        /* rule key and name, NUL-terminated */
#define FW_PORT_NONE 0xffffffffu

enum fw_role {
	FW_ROLE_NONE = 0,
	FW_ROLE_INSIDE = 1,  /* faces the protected side */
	FW_ROLE_OUTSIDE = 2,
};

/* Rule and packet direction, as OVN's: ingress = outside → inside (to-lport),
 * egress = inside → outside (from-lport). */
enum fw_dir {
	FW_DIR_INGRESS = 1,
	FW_DIR_EGRESS = 2,
};

enum fw_action {
	FW_ALLOW = 1,
	FW_ALLOW_RELATED = 2, /* and commit the connection: replies and related ICMP pass */
	FW_DROP = 3,
	FW_REJECT = 4,        /* TCP RST or ICMP unreachable, built by the slow path */
};

/* Connection states, one bit each: a packet is in one, a rule matches a set. */
#define FW_CT_NEW (1u << 0)
#define FW_CT_ESTABLISHED (1u << 1)
#define FW_CT_RELATED (1u << 2)
#define FW_CT_INVALID (1u << 3)

/* HOVER_PUNT_MODULE: a rejected packet, for the slow path to answer. */
#define FW_PUNT_REJECT 16

/* What a firewall keeps in ct_entry.data: the rule that committed the
 * connection (slot and serial) and the direction of its first packet. */
#define FW_CT_SLOT 0
#define FW_CT_SERIAL 1
#define FW_CT_DIR 2

/* fw_ports[port]. */
struct fw_port {
	__u32 role; /* enum fw_role */
	__u32 peer; /* the port packets leave by, FW_PORT_NONE while there is none */
};

/* fw_keys: a classifier key, the packet's fields under the tuple's masks.
 * ICMP: sport holds the type, dport the code. */
struct fw_key {
	__u8 gen;
	__u8 tuple;
	__u8 dir;       /* enum fw_dir, always matched exactly */
	__u8 proto;
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 tcp_flags;
	__u8 ct_state;  /* one FW_CT_* bit */
	__u8 pad[2];
};

/* Rank: priority << 8 | the action's precedence among equal priorities. */
struct fw_verdict {
	__u32 rank;
	__u32 slot;
	__u32 serial;
	__u32 action; /* enum fw_action */
};

/* A tuple: its id in fw_key.tuple and the masks of its keys. */
struct fw_mask {
	__u32 tuple;
	__u32 max_rank; /* no key of the tuple ranks higher: the search stops early */
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 tcp_flags;
	__u8 ct_state;
	__u8 pad;
};

/* fw_sets[generation]: the tuples of a generation, highest max_rank first. */
struct fw_set {
	__u32 count;
	__u32 default_action; /* FW_DROP, or anything else: allow */
	/* The highest rule serial given out (daemon only): a restarted daemon
	 * goes on from it, so that a new rule never takes the serial of one
	 * that committed a connection still tracked. */
	__u32 last_serial;
	__u32 pad;
	struct fw_mask masks[FW_MAX_TUPLES];
};

/* fw_hits[slot], per CPU: packets the rule decided. */
struct fw_hits {
	__u64 packets;
	__u64 bytes;
};

/* fw_epoch[0], per CPU: packets that began and finished reading a
 * generation. Once every CPU's `finished` has reached the `started` it showed
 * after a flip, no packet reads the previous generation. */
struct fw_epoch {
	__u64 started;
	__u64 finished;
};

/* Which optional matches a rule has (fw_rule.fields). */
#define FW_MATCH_SPORT (1u << 0)
#define FW_MATCH_DPORT (1u << 1)
#define FW_MATCH_ICMP_TYPE (1u << 2)
#define FW_MATCH_ICMP_CODE (1u << 3)
#define FW_MATCH_SRC (1u << 4)
#define FW_MATCH_DST (1u << 5)

/* fw_rules[slot]: a rule as the user wrote it, so that a restarted daemon
 * finds the set in force; fw_live[slot * 2 + generation] holds the serial of
 * each slot a generation uses (0: none). Only the daemon reads fw_rules; the
 * datapath reads fw_live to know whether the rule that committed a connection
 * is still in force. FW_MAX_SLOTS is the most slots a firewall can have: the
 * daemon sizes fw_rules, fw_hits (slots) and fw_live (2 * slots) from the
 * config's maxRules before load, since every slot of a per-CPU array costs
 * an allocation per CPU when the map is made. */
struct fw_rule {
	__u32 serial;  /* 0: the slot is free */
	__u16 priority;
	__u8 direction; /* enum fw_dir */
	__u8 action;    /* enum fw_action */
	__be32 src;
	__be32 dst;
	__u8 src_len;
	__u8 dst_len;
	__u8 proto;     /* 0: any */
	__u8 ct_states; /* FW_CT_* bits, 0: any */
	__u16 sport_lo;
	__u16 sport_hi;
	__u16 dport_lo;
	__u16 dport_hi;
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 fields;    /* FW_MATCH_* */
	__u8 tcp_flags;
	__u8 tcp_flags_mask;
	__u8 pad[3];
	char key[FW_TEXT];
	char name[FW_TEXT];
};

#endif
