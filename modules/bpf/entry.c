/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Programs the daemon loads once per hook:
 *  - hover_entry: attached to every linked netdev; finds the module port the
 *    netdev is linked to (hover_netdev_of) and enters that module.
 *  - hover_inject: attached to the injection device; strips the struct
 *    hover_inject trailer userspace put at the end of the frame and delivers
 *    the frame to the module port named there. The XDP injector passes a
 *    frame meant for the TC patch panel up unchanged to the TC injector.
 */
#include "include/hover.h"

SEC(HOVER_SEC)
int hover_entry(hover_ctx *ctx)
{
	__u32 ifindex = hook_ifindex(ctx);
	struct hover_netdev *nd = hover_netdev_of(ifindex);
	if (!nd)
		return HOOK_PASS;
	struct hover_md *md = hover_md_get();
	if (!md)
		return HOOK_DROP;
	__builtin_memset(md, 0, sizeof(*md));
	md->ifindex = ifindex;
	if (hover_trace_match(ctx))
		md->trace_id = bpf_get_prandom_u32() | 1;
	return hover_enter(ctx, md, nd->module, nd->port);
}

static __always_inline int deliver(hover_ctx *ctx, __u32 module, __u32 port, __u32 direction)
{
	struct hover_md *md = hover_md_get();
	if (!md)
		return HOOK_DROP;
	__builtin_memset(md, 0, sizeof(*md));
	md->flags = HOVER_MDF_INJECTED;
	if (hover_trace_match(ctx))
		md->trace_id = bpf_get_prandom_u32() | 1;
	if (direction == HOVER_INJECT_TX) {
		md->module = module;
		md->in_port = port;
		return hover_output(ctx, md, port);
	}
	return hover_enter(ctx, md, module, port);
}

/* Reads the struct hover_inject at the end of the frame. Returns 0 when it is
 * there (its magic right) and the frame before it has an Ethernet header. */
static __always_inline int inject_trailer(hover_ctx *ctx, struct hover_inject *hdr)
{
	__u32 len = hook_len(ctx);
	if (len < ETH_HLEN + sizeof(*hdr) || len > 0xffff)
		return -1;
	if (hook_load_bytes(ctx, len - sizeof(*hdr), hdr, sizeof(*hdr)))
		return -1;
	return hdr->magic == HOVER_INJECT_MAGIC ? 0 : -1;
}

#if defined(HOVER_XDP)
SEC(HOVER_SEC)
int hover_inject(struct xdp_md *ctx)
{
	struct hover_inject hdr;
	if (inject_trailer(ctx, &hdr))
		return XDP_DROP;
	/* A frame for the TC patch panel goes up as it is: the TC injector
	 * on this device strips the trailer. */
	if (hdr.hook != HOVER_HOOK_XDP)
		return XDP_PASS;
	if (bpf_xdp_adjust_tail(ctx, -(int)sizeof(hdr)))
		return XDP_DROP;
	return deliver(ctx, hdr.module, hdr.port, hdr.direction);
}
#else
SEC(HOVER_SEC)
int hover_inject(struct __sk_buff *ctx)
{
	struct hover_inject hdr;
	if (inject_trailer(ctx, &hdr) || hdr.hook != HOVER_HOOK_TC)
		return TC_ACT_SHOT;
	if (bpf_skb_change_tail(ctx, ctx->len - sizeof(hdr), 0))
		return TC_ACT_SHOT;
	return deliver(ctx, hdr.module, hdr.port, hdr.direction);
}
#endif

char _license[] SEC("license") = "Dual BSD/GPL";
