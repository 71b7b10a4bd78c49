/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* L4 load balancer tables shared with src/IoModules/L4lb (layouts checked by a test). */
#ifndef HOVER_L4LB_TYPES_H
#define HOVER_L4LB_TYPES_H

#include <linux/types.h>

#define LB_MAX_SERVICES 64
/* The largest Maglev table (a prime). Service i's table is lb_maglev[i * LB_MAGLEV_STRIDE ...],
 * of which the first lb_service.table_size entries are used. */
#define LB_MAGLEV_STRIDE 65537
#define LB_MAGLEV_SIZE (LB_MAX_SERVICES * LB_MAGLEV_STRIDE)
/* Backend ids are 1 .. LB_MAX_BACKENDS - 1: a zeroed Maglev entry means "no backend". */
#define LB_MAX_BACKENDS 4096
#define LB_PORT_NONE 0xffffffffu

enum lb_mode {
	LB_MODE_DNAT = 0, /* destination rewritten to the backend, replies rewritten back */
	LB_MODE_DSR = 1,  /* destination MAC rewritten; the backend owns the VIP and answers directly */
};

/* lb_cfg[0]: which module port faces the clients and which the servers. */
struct lb_config {
	__u32 front_port; /* LB_PORT_NONE while there is none */
	__u32 back_port;
};

/* lb_services: a virtual service, vip:port/proto as the clients send it. */
struct lb_service_key {
	__be32 vip;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct lb_service {
	__u32 index;      /* its Maglev table and its lb_stats slot */
	__u32 table_size; /* Maglev entries in use, a prime <= LB_MAGLEV_STRIDE */
	__u32 mode;       /* enum lb_mode */
	__u32 pad;
};

/* lb_backends[id]: where a backend is. addr = 0 for ids not in use. */
struct lb_backend {
	__be32 addr;
	__be16 port;   /* DNAT: the destination port the backend listens on */
	__u8 mac[6];   /* DSR: the destination MAC */
	__u32 service; /* the lb_service.index it serves: how a restarted daemon finds its ids again */
};

/* What a connection keeps in its ct_entry.data: its backend, whole, so that the flow stays
 * where it is whatever happens to the pool (drain, health, removal, a daemon restart). */
struct lb_flow {
	__be32 backend_addr;
	__be16 backend_port;
	__u8 backend_mac[6];
	__u16 service; /* lb_service.index when the flow was opened */
	__u16 mode;    /* enum lb_mode */
};

/* lb_stats[service index], per CPU. */
struct lb_service_stats {
	__u64 packets;    /* clients to the VIP */
	__u64 bytes;
	__u64 flows;      /* connections opened */
	__u64 no_backend; /* new flows dropped: no usable backend, or the connection table refused */
};

#endif
