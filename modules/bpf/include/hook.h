/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Hook parity: one module source builds for TC (sched_cls, direct action) and
 * XDP. Everything that differs between the two hooks is behind these helpers;
 * modules never test HOVER_HOOK_XDP themselves except for whole-hook
 * strategies (XDP flooding through a broadcast devmap).
 */
#ifndef HOVER_HOOK_H
#define HOVER_HOOK_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "hover_types.h"

#ifndef ETH_P_8021Q
#define ETH_P_8021Q 0x8100
#endif
#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

#if defined(HOVER_XDP)
typedef struct xdp_md hover_ctx;
#define HOVER_SEC "xdp"
#define HOVER_HOOK HOVER_HOOK_XDP
#define HOOK_DROP XDP_DROP
#define HOOK_PASS XDP_PASS
#define HOOK_REDIRECT XDP_REDIRECT
#elif defined(HOVER_TC)
typedef struct __sk_buff hover_ctx;
#define HOVER_SEC "tc"
#define HOVER_HOOK HOVER_HOOK_TC
#define HOOK_DROP TC_ACT_SHOT
#define HOOK_PASS TC_ACT_OK
#define HOOK_REDIRECT TC_ACT_REDIRECT
#else
#error "build with -DHOVER_TC or -DHOVER_XDP"
#endif

static __always_inline void *hook_data(hover_ctx *ctx)
{
	return (void *)(long)ctx->data;
}

static __always_inline void *hook_data_end(hover_ctx *ctx)
{
	return (void *)(long)ctx->data_end;
}

static __always_inline __u32 hook_len(hover_ctx *ctx)
{
#if defined(HOVER_XDP)
	return (__u32)(ctx->data_end - ctx->data);
#else
	return ctx->len;
#endif
}

static __always_inline __u32 hook_ifindex(hover_ctx *ctx)
{
#if defined(HOVER_XDP)
	return ctx->ingress_ifindex;
#else
	return ctx->ingress_ifindex ? ctx->ingress_ifindex : ctx->ifindex;
#endif
}

static __always_inline long hook_load_bytes(hover_ctx *ctx, __u32 off, void *to, __u32 len)
{
#if defined(HOVER_XDP)
	return bpf_xdp_load_bytes(ctx, off, to, len);
#else
	return bpf_skb_load_bytes(ctx, off, to, len);
#endif
}

/* The 802.1Q tag of the frame, in the data or (TC) in the skb's accelerated
 * tag. Returns 1 and the VID when tagged, 0 when untagged. */
static __always_inline int hook_vlan_get(hover_ctx *ctx, __u16 *vid)
{
#if defined(HOVER_TC)
	if (ctx->vlan_present) {
		*vid = ctx->vlan_tci & 0x0fff;
		return 1;
	}
#endif
	void *data = hook_data(ctx), *end = hook_data_end(ctx);
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) + 4 > end)
		return 0;
	if (eth->h_proto != bpf_htons(ETH_P_8021Q))
		return 0;
	__be16 tci = *(__be16 *)(eth + 1);
	*vid = bpf_ntohs(tci) & 0x0fff;
	return 1;
}

/* Inserts an 802.1Q tag into the frame data. Returns 0 on success. */
static __always_inline int hook_vlan_push(hover_ctx *ctx, __u16 vid)
{
#if defined(HOVER_XDP)
	if (bpf_xdp_adjust_head(ctx, -4))
		return -1;
#else
	if (bpf_skb_change_head(ctx, 4, 0))
		return -1;
#endif
	void *data = hook_data(ctx), *end = hook_data_end(ctx);
	if (data + ETH_HLEN + 4 > end)
		return -1;
	__builtin_memmove(data, data + 4, 12);
	__be16 *tag = data + 12;
	tag[0] = bpf_htons(ETH_P_8021Q);
	tag[1] = bpf_htons(vid & 0x0fff);
	return 0;
}

/* Removes the outer 802.1Q tag (data or accelerated). Returns 0 on success. */
static __always_inline int hook_vlan_pop(hover_ctx *ctx)
{
#if defined(HOVER_XDP)
	void *data = hook_data(ctx), *end = hook_data_end(ctx);
	if (data + ETH_HLEN + 4 > end)
		return -1;
	__builtin_memmove(data + 4, data, 12);
	return bpf_xdp_adjust_head(ctx, 4) ? -1 : 0;
#else
	return bpf_skb_vlan_pop(ctx) ? -1 : 0;
#endif
}

#endif
