// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_mgmt_req.c: libFuzzer target for the management socket's request
 * parser (uml_switch/mgmt_req.c, over common/json.c): any line is either
 * decoded into a request whose fields are within their bounds, or refused
 * with a code and a message that says why in printable ASCII only (it is
 * sent to the client and logged).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../uml_switch/mgmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_port(const struct mreq_port *p)
{
	if (p->index > 65535 || (!p->index && !mreq_name_ok(p->name)))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mreq_err e = { .code = NULL };
	static struct mreq r;
	unsigned int i;
	size_t n;

	if (mreq_parse((const char *)data, size, &r, &e)) {
		n = strnlen(e.msg, sizeof(e.msg));
		if (!e.code || !*e.code || !n || n == sizeof(e.msg))
			__builtin_trap();	/* a refusal says why */
		for (i = 0; i < n; i++)
			if (e.msg[i] < ' ' || e.msg[i] > '~')
				__builtin_trap();
		return 0;
	}
	if (r.cmd > MREQ_STOP || r.nports > MGMT_CAP_PORTS ||
	    strnlen(r.spec, sizeof(r.spec)) == sizeof(r.spec) ||
	    (r.name[0] && !mreq_name_ok(r.name)) ||
	    (r.has & (1U << MF_SNAPLEN) &&
	     (r.snaplen < 14 || r.snaplen > MGMT_SNAPLEN_MAX)))
		__builtin_trap();
	if (r.has & (1U << MF_PORT))
		check_port(&r.port);
	for (i = 0; i < r.nports; i++)
		check_port(&r.ports[i]);
	return 0;
}
