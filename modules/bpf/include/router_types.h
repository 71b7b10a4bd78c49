/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Router tables shared with src/IoModules/Router (layouts checked by a test). */
#ifndef HOVER_ROUTER_TYPES_H
#define HOVER_ROUTER_TYPES_H

#include <linux/types.h>

#define ROUTER_MAX_PORTS 32
#define ROUTER_ROUTES_SIZE 16384
#define ROUTER_NEIGH_SIZE 16384
#define ROUTER_LOCAL_SIZE 256

/* router_ports[port]: the port's MAC; enabled = 0 for ports that do not exist. */
struct router_port {
	__u8 mac[6];
	__u16 enabled;
};

/* router_local[address]: an address of the router and the port it is on. */
struct router_local {
	__u32 port;
};

/* router_routes (LPM trie): prefixlen counts the bits of addr (network order). */
struct router_route_key {
	__u32 prefixlen;
	__be32 addr;
};

#define ROUTER_ROUTE_CONNECTED (1u << 0) /* from a port address, written by the daemon */
#define ROUTER_ROUTE_STATIC (1u << 1)    /* added over REST */
/* A /32 of a router address, written by the daemon next to router_local so that
 * forwarding needs one lookup (the LPM) to tell local delivery from routing;
 * port is the address's port. A port's /32 address is CONNECTED | LOCAL. */
#define ROUTER_ROUTE_LOCAL (1u << 2)
#define ROUTER_PORT_NONE 0xffffffffu     /* next hop on no connected network now: unreachable */

struct router_route {
	__u32 port;     /* output port, or ROUTER_PORT_NONE */
	__be32 nexthop; /* 0: on link, the next hop is the destination itself */
	__u32 flags;    /* ROUTER_ROUTE_* */
	__u32 pad;
};

/* router_neigh[ipv4]: the ARP table. Learned entries are aged by the daemon. */
#define ROUTER_NEIGH_STATIC (1u << 0)

struct router_neigh {
	__u8 mac[6];
	__u16 flags;    /* ROUTER_NEIGH_* */
	__u32 port;
	__u64 seen_ns;  /* bpf_ktime_get_ns() when learned or last confirmed by ARP */
};

/* Punt reasons (struct hover_punt.reason). words[] of the record as listed. */
enum router_punt_reason {
	ROUTER_PUNT_ARP_MISS = 16, /* words[0] next hop (network order in the low 32 bits), words[1] output port */
	ROUTER_PUNT_TTL = 17,      /* TTL would reach 0: time exceeded */
	ROUTER_PUNT_NO_ROUTE = 18, /* no route, or the route's port is ROUTER_PORT_NONE: net unreachable */
	ROUTER_PUNT_NEIGH = 19,    /* an ARP entry was created or changed: words[0] its address; held packets may go */
};

#endif
