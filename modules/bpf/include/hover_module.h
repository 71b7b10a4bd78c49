/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Included by a module after its handle_rx(): the program that the daemon puts
 * into the patch panel at the module's index.
 */
#ifndef HOVER_MODULE_H
#define HOVER_MODULE_H

#include "hover.h"

SEC(HOVER_SEC)
int hover_rx(hover_ctx *ctx)
{
	struct hover_md *md = hover_md_get();
	if (!md)
		return HOOK_DROP;
	switch (handle_rx(ctx, md)) {
	case HOVER_FORWARD:
		return hover_output(ctx, md, md->out_port);
	case HOVER_PASS:
		HOVER_TRACE(ctx, md, HOVER_TRACE_PASS, md->in_port, 0);
		return HOOK_PASS;
	case HOVER_REDIRECTED:
		HOVER_TRACE(ctx, md, HOVER_TRACE_REDIRECT, md->in_port, 0);
		return HOOK_REDIRECT;
	case HOVER_CONSUMED:
		HOVER_TRACE(ctx, md, HOVER_TRACE_CONSUMED, md->in_port, 0);
		return HOOK_DROP;
	case HOVER_PUNT:
		HOVER_TRACE(ctx, md, HOVER_TRACE_PUNT, md->in_port, 0);
		hover_punt_copy(ctx, md, md->in_port, md->reason);
		return HOOK_DROP;
	default:
		HOVER_TRACE(ctx, md, HOVER_TRACE_DROP, md->in_port, 0);
		return hover_drop(md, md->in_port);
	}
}

char _license[] SEC("license") = "Dual BSD/GPL";

#endif
