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
#include "ct_types.h"
#include "nat_types.h"
#include "l4lb_types.h"
#include "gtp_types.h"
#include "firewall_types.h"

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
struct hover_trace_cfg probe_trace_cfg;
struct hover_trace_event probe_trace_event;
struct ct_key probe_ct_key;
struct ct_entry probe_ct_entry;
struct ct_timeouts probe_ct_timeouts;
struct nat_config probe_nat_config;
struct nat_snat_key probe_nat_snat_key;
struct nat_snat_rule probe_nat_snat_rule;
struct nat_dnat_key probe_nat_dnat_key;
struct nat_dnat_rule probe_nat_dnat_rule;
struct nat_mac probe_nat_mac;
struct nat_arp_entry probe_nat_arp_entry;
struct lb_config probe_lb_config;
struct lb_service_key probe_lb_service_key;
struct lb_service probe_lb_service;
struct lb_backend probe_lb_backend;
struct lb_flow probe_lb_flow;
struct lb_service_stats probe_lb_service_stats;
struct gtp_rule_key probe_gtp_rule_key;
struct gtp_rule probe_gtp_rule;
struct gtp_count probe_gtp_count;
struct gtp_config probe_gtp_config;
struct gtp_port probe_gtp_port;
struct fw_port probe_fw_port;
struct fw_key probe_fw_key;
struct fw_verdict probe_fw_verdict;
struct fw_mask probe_fw_mask;
struct fw_set probe_fw_set;
struct fw_hits probe_fw_hits;
struct fw_epoch probe_fw_epoch;
struct fw_rule probe_fw_rule;
