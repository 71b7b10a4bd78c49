/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Layout probe for LayoutTests: the datapath objects only carry BTF for types their maps,
 * globals and function signatures use, so structs that live only on a program's stack or in a
 * ring-buffer record (hover_punt, hover_inject) are missing there. One global of each shared
 * struct, compiled from the same headers with the same flags, puts all of them in this BTF.
 */
#include <linux/bpf.h>
#include "hover_types.h"
#include "bridge_types.h"
#include "router_types.h"

struct hover_md probe_md;
struct hover_port probe_port;
struct hover_netdev probe_netdev;
struct hover_port_stats probe_port_stats;
struct hover_punt probe_punt;
struct hover_inject probe_inject;
struct bpf_devmap_val probe_devmap_val;
struct bridge_fdb_key probe_fdb_key;
struct bridge_fdb_entry probe_fdb_entry;
struct bridge_config probe_config;
struct bridge_port probe_bridge_port;
struct router_port probe_router_port;
struct router_local probe_router_local;
struct router_route_key probe_router_route_key;
struct router_route probe_router_route;
struct router_neigh probe_router_neigh;
