/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Bridge tables shared with src/IoModules/Bridge (layouts checked by a test). */
#ifndef HOVER_BRIDGE_TYPES_H
#define HOVER_BRIDGE_TYPES_H

#include <linux/types.h>

#define BRIDGE_FDB_SIZE 16384
#define BRIDGE_VLAN_WORDS 64 /* 4096 VIDs as a bitmap */

struct bridge_fdb_key {
	__u8 mac[6];
	__u16 vlan;
};

#define BRIDGE_FDB_STATIC (1u << 0)

struct bridge_fdb_entry {
	__u32 port;
	__u32 flags;    /* BRIDGE_FDB_* */
	__u64 seen_ns;  /* bpf_ktime_get_ns() when last seen; learned entries age */
};

struct bridge_config {
	__u64 aging_ns; /* 0: learned entries never age */
};

enum bridge_port_mode {
	BRIDGE_PORT_UNUSED = 0,
	BRIDGE_PORT_ACCESS = 1, /* untagged, in VLAN pvid */
	BRIDGE_PORT_TRUNK = 2,  /* tagged for `vlans`, untagged for pvid (native, 0: none) */
};

struct bridge_port {
	__u32 mode;
	__u16 pvid;
	__u16 pad;
	__u64 vlans[BRIDGE_VLAN_WORDS];
};

#endif
