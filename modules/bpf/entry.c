/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Programs the daemon loads once per hook:
 *  - hover_entry: attached to every linked netdev; finds the module port the
 *    netdev is linked to (hover_netdev_of) and enters that module.
 *  - hover_inject: attached to the injection device; strips the struct
 *    hover_inject header userspace put after the MAC addresses and delivers
 *    the frame to the module port named there. In XDP mode a frame meant for
 *    the TC patch panel is passed up with its target in the XDP metadata
 *    area, where the TC injector reads it.
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

struct inject_meta {
	__u32 magic;
	__u16 module;
	__u16 port;
	__u32 direction;
};

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

#if defined(HOVER_XDP)
SEC(HOVER_SEC)
int hover_inject(struct xdp_md *ctx)
{
	void *data = hook_data(ctx), *end = hook_data_end(ctx);
	struct ethhdr *eth = data;
	struct hover_inject *inj = (void *)(eth + 1);
	if ((void *)(inj + 1) > end || eth->h_proto != bpf_htons(HOVER_INJECT_ETHERTYPE) ||
	    inj->magic != HOVER_INJECT_MAGIC)
		return XDP_DROP;
	struct hover_inject hdr = *inj;

	/* The real frame starts sizeof(hdr) bytes later: move the MAC addresses
	 * there, put back the real ethertype, drop the front. */
	__u8 *frame = data + sizeof(hdr);
	if ((void *)(frame + ETH_HLEN) > end)
		return XDP_DROP;
	__builtin_memmove(frame, data, 12);
	*(__be16 *)(frame + 12) = hdr.ethertype;
	if (bpf_xdp_adjust_head(ctx, sizeof(hdr)))
		return XDP_DROP;

	if (hdr.hook == HOVER_HOOK_XDP)
		return deliver(ctx, hdr.module, hdr.port, hdr.direction);

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(struct inject_meta)))
		return XDP_DROP;
	struct inject_meta *meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data)
		return XDP_DROP;
	meta->magic = HOVER_INJECT_MAGIC;
	meta->module = hdr.module;
	meta->port = hdr.port;
	meta->direction = hdr.direction;
	return XDP_PASS;
}
#else
SEC(HOVER_SEC)
int hover_inject(struct __sk_buff *ctx)
{
	struct inject_meta *meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data || meta->magic != HOVER_INJECT_MAGIC)
		return TC_ACT_SHOT;
	return deliver(ctx, meta->module, meta->port, meta->direction);
}
#endif

char _license[] SEC("license") = "Dual BSD/GPL";
