// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_vlan.c: 802.1Q on a frame from outside: classify it on a port
 * (vlan_rx) and build every form a port sends it in (vlan_tx).  The
 * first bytes choose the ports; it must never read or write out of
 * bounds, and a frame tagged for a trunk must classify there as the VLAN
 * it was in. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../uml_switch/sw.h"
#include "frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_port(struct vlan_port *vp, const uint8_t *d)
{
	struct vlan_cfg c;
	unsigned int v;

	memset(&c, 0, sizeof(c));
	c.trunk = d[0] & 1;
	c.pvid = (uint16_t)((d[0] >> 1 & 7) ? (d[0] >> 1 & 7) :
			    (c.trunk ? 0 : 1));
	for (v = 1; v <= 8; v++)
		if (d[1] >> (v - 1) & 1)
			c.vids[v >> 3] |= (uint8_t)(1U << (v & 7));
	vlan_port_init(vp, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[FRAME_MAX + VLAN_HLEN], back[FRAME_MAX + VLAN_HLEN];
	struct vlan_port in, to, tr;
	struct vlan_meta m, m2;
	ssize_t n;
	size_t len;

	if (size < 4 + FRAME_MIN || size - 4 > FRAME_MAX)
		return 0;
	fuzz_port(&in, data);
	fuzz_port(&to, data + 2);
	data += 4;
	len = size - 4;
	if (vlan_rx(&in, data, len, &m))
		return 0;
	if (!m.vid || m.vid > VLAN_VID_MAX || !vlan_carries(&in, m.vid))
		__builtin_trap();
	n = vlan_tx(&to, &m, data, len, out);
	if (n < 0 || n == 0)
		return 0;
	if ((size_t)n != len && (size_t)n != len + 4 &&
	    (size_t)n + 4 != len)
		__builtin_trap();
	/* tagged: a trunk of that VLAN reads the same VLAN and bits back */
	if (!vlan_tx_tags(&to, &m))
		return 0;
	memset(&tr, 0, sizeof(tr));
	tr.c.trunk = 1;
	tr.member[m.vid >> 3] = (uint8_t)(1U << (m.vid & 7));
	if (vlan_rx(&tr, out, (size_t)n, &m2) || m2.vid != m.vid ||
	    m2.prio != m.prio || vlan_tx(&tr, &m2, out, (size_t)n, back))
		__builtin_trap();
	return 0;
}
