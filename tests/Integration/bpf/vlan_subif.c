// SPDX-License-Identifier: GPL-2.0
// Stands in for an 802.1Q subinterface (`ip link add link IF name IF.N type vlan id N`) on kernels built
// without CONFIG_VLAN_8021Q: attached with tc to IF inside a test namespace, it tags everything IF sends with
// VLAN_ID and accepts only frames tagged VLAN_ID, untagging them, so the address on IF behaves like one on IF.N.
// Tags travel as skb metadata (as a real subinterface on a veth with tx-vlan-offload does).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#ifndef VLAN_ID
#error "compile with -DVLAN_ID=<1..4094>"
#endif

SEC("tc/egress")
int vlan_push(struct __sk_buff *skb)
{
	return bpf_skb_vlan_push(skb, bpf_htons(0x8100), VLAN_ID) ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc/ingress")
int vlan_pop(struct __sk_buff *skb)
{
	// The receive path moves an in-band tag into skb metadata before tc ingress runs.
	if (!skb->vlan_present || (skb->vlan_tci & 0x0fff) != VLAN_ID)
		return TC_ACT_SHOT;
	return bpf_skb_vlan_pop(skb) ? TC_ACT_SHOT : TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
