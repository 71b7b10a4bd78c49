/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Structs shared between the datapath and the daemon. Fixed-width types only:
 * src/Bpf/Abi mirrors every struct here and tests/Datapath checks sizes and
 * offsets against the BTF of the compiled objects.
 */
#ifndef HOVER_TYPES_H
#define HOVER_TYPES_H

#include <linux/types.h>

/* Sizes of the patch panel. Module index 0 is never used so that a zeroed
 * entry means "no module". */
#define HOVER_MAX_MODULES 256
#define HOVER_MAX_PORTS 64
#define HOVER_GPORT(module, port) ((module) * HOVER_MAX_PORTS + (port))
#define HOVER_MAX_GPORTS (HOVER_MAX_MODULES * HOVER_MAX_PORTS)
#define HOVER_MAX_NETDEVS 4096
/* Netdevs with an ifindex below this are found in hover_netdev_ix, an array
 * (a lookup the verifier inlines, no hashing); the rest in hover_netdevs.
 * Ifindexes grow with every netdev a host creates, so the bound is generous:
 * 65536 entries of 8 bytes are 512 KiB, once per host. */
#define HOVER_NETDEV_IX_SIZE 65536

/* A chain longer than this is a loop; tail calls would stop at 33 anyway. */
#define HOVER_MAX_HOPS 16

/* Bytes of a punted frame copied to userspace (a power of two). */
#define HOVER_PUNT_SNAP 2048

/* First word of a struct hover_inject: the injector drops frames without it. */
#define HOVER_INJECT_MAGIC 0x48565231 /* "HVR1" */

enum hover_hook {
	HOVER_HOOK_TC = 0,
	HOVER_HOOK_XDP = 1,
};

enum hover_peer_kind {
	HOVER_PEER_NONE = 0,
	HOVER_PEER_NETDEV = 1,
	HOVER_PEER_MODULE = 2,
};

/* Per-packet metadata; lives in a per-CPU map between tail calls (a packet is
 * processed start to end on one CPU with migration disabled). */
struct hover_md {
	__u32 module;    /* module now handling the packet */
	__u32 in_port;   /* its ingress port */
	__u32 out_port;  /* set by the module on HOVER_FORWARD */
	__u32 flags;     /* HOVER_MDF_* */
	__u32 ifindex;   /* netdev the packet entered the graph on (0: injected) */
	__u32 hops;      /* modules traversed */
	__u32 reason;    /* punt reason */
	__u32 trace_id;  /* non-zero: the packet matched the trace filter; its events carry this id */
	__u64 words[4];  /* scratch words that travel with the packet */
};

#define HOVER_MDF_INJECTED (1u << 0)
#define HOVER_MDF_FLOODED (1u << 1)

/* hover_ports[HOVER_GPORT(m, p)]: who is on the other end of a module port. */
struct hover_port {
	__u32 peer_kind;   /* enum hover_peer_kind */
	__u32 ifindex;     /* HOVER_PEER_NETDEV */
	__u32 peer_module; /* HOVER_PEER_MODULE */
	__u32 peer_port;
};

/* hover_netdevs[ifindex], hover_netdev_ix[ifindex]: the module port a netdev
 * is linked to. module 0 (never a module) in hover_netdev_ix: not linked. */
struct hover_netdev {
	__u32 module;
	__u32 port;
};

/* hover_stats[HOVER_GPORT(m, p)], per CPU. */
struct hover_port_stats {
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 drops;
};

/* Ring-buffer record of a punted packet, followed by HOVER_PUNT_SNAP bytes of
 * which the first `caplen` are the frame. */
struct hover_punt {
	__u32 module;
	__u32 port;
	__u32 reason;
	__u32 len;     /* frame length on the wire */
	__u32 caplen;  /* bytes copied */
	__u32 ifindex;
	__u32 hook;    /* enum hover_hook */
	__u32 pad;
	__u64 words[4];
};

/* Trailer userspace puts at the end of a frame written to the injection
 * device. The injector strips it and delivers the frame to its target: the
 * target travels with the frame, no counters have to stay in step. At the end
 * rather than after the MAC addresses, so that the frame keeps its ethertype
 * (the TC injector can only trim a frame's tail whatever its protocol) and
 * passes from the XDP injector to the TC one unchanged, without the XDP
 * metadata area, which not every kernel lets XDP programs use. */
struct hover_inject {
	__u32 magic;
	__u16 module;
	__u16 port;
	__u8 hook;       /* enum hover_hook */
	__u8 direction;  /* enum hover_inject_direction */
	__u16 pad;
};

enum hover_inject_direction {
	HOVER_INJECT_RX = 0, /* as if received on module:port */
	HOVER_INJECT_TX = 1, /* sent out of module:port to its peer */
};

enum hover_punt_reason {
	HOVER_PUNT_FLOOD_COPY = 1, /* a flood copy for a module peer */
	HOVER_PUNT_MODULE = 16,    /* module-specific reasons start here */
};

/* Packet tracing (GET /trace). hover_trace_cfg[0] is the filter; packets that
 * match it at their entry into the graph get a trace id, and every hop then
 * writes a struct hover_trace_event into the hover_trace ring buffer. */
#define HOVER_TRACE_F_SRC (1u << 0)
#define HOVER_TRACE_F_DST (1u << 1)
#define HOVER_TRACE_F_ADDR (1u << 2)  /* src or dst in addr/addr_mask */
#define HOVER_TRACE_F_PROTO (1u << 3)
#define HOVER_TRACE_F_SPORT (1u << 4)
#define HOVER_TRACE_F_DPORT (1u << 5)
#define HOVER_TRACE_F_PORT (1u << 6)  /* sport or dport */
#define HOVER_TRACE_F_IPV4 (1u << 7)  /* only IPv4 (any filter on L3/L4 fields implies it) */

struct hover_trace_cfg {
	__u32 enabled;
	__u32 fields;    /* HOVER_TRACE_F_*: the fields that must match */
	__be32 src;
	__be32 src_mask;
	__be32 dst;
	__be32 dst_mask;
	__be32 addr;
	__be32 addr_mask;
	__be16 sport;
	__be16 dport;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

enum hover_trace_verdict {
	HOVER_TRACE_RX = 0,        /* entered module:port */
	HOVER_TRACE_FORWARD = 1,   /* left out of module:port */
	HOVER_TRACE_DROP = 2,
	HOVER_TRACE_PASS = 3,      /* to the kernel stack */
	HOVER_TRACE_PUNT = 4,      /* to the slow path */
	HOVER_TRACE_REDIRECT = 5,  /* the module redirected it itself (flooding) */
	HOVER_TRACE_CONSUMED = 6,
};

#define HOVER_TRACE_SNAP 64

struct hover_trace_event {
	__u64 ts_ns;
	__u32 trace_id;
	__u32 module;
	__u32 port;
	__u32 verdict;  /* enum hover_trace_verdict */
	__u32 hop;
	__u32 len;
	__u32 ifindex;  /* FORWARD to a netdev: the netdev; RX at the graph's entry: where it came in */
	__u32 caplen;
	__u8 head[HOVER_TRACE_SNAP];
};

#endif
