// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_unet_kernel.c: libFuzzer target for what our UML driver's host half
 * (kernel/umlnet_user.c) parses: the vde option grammar (vde_to_daemon,
 * whose output must then be a spec tp_spec_parse takes or refuses cleanly)
 * and uml_net's replies (the "tuntap up" datagram, the stream length
 * word).  The first byte picks the target; the rest is the input.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UM_KERN_ERR	""
#define UM_KERN_INFO	""
#define UM_KERN_WARNING	""
static int fuzz_printk(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
#define printk		fuzz_printk

#include "../../kernel/umlnet_user.c"

/* The kernel's printk formats into a buffer: so do we, checking that. */
static int fuzz_printk(const char *fmt, ...)
{
	static char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	return n;
}

static void fuzz_vde(const char *spec)
{
	static char out[UMLNET_SPEC_MAX], err[UMLNET_ERR_MAX];
	static struct tp_spec s;

	if (vde_to_daemon(spec, out, sizeof(out), err, sizeof(err)) == 0) {
		if (strncmp(out, "daemon:ctl=", 11) || !memchr(out, 0, sizeof(out)))
			abort();
		tp_spec_parse(out, &s, err, sizeof(err));
	} else if (!memchr(err, 0, sizeof(err)) || !err[0]) {
		abort();	/* a refusal always says why */
	}
}

static void fuzz_dgram(const char *buf, size_t n, int fd_came)
{
	char name[UNET_REPLY_NAME_LEN];
	const char *text;

	text = helper_reply_dgram(buf, n, fd_came, name, sizeof(name));
	if (strlen(name) >= sizeof(name) || text < buf || text > buf + n)
		abort();
	if (name[0] && (!fd_came || text != buf + UNET_REPLY_NAME_LEN))
		abort();
	fuzz_printk("%s", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[UNET_REPLY_DGRAM_MAX + 1];
	unet_reply_len_t len;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1 < sizeof(buf) - 1 ? size - 1 : sizeof(buf) - 1;
	memcpy(buf, data + 1, n);
	buf[n] = '\0';
	switch (data[0] % 3) {
	case 0:
		fuzz_vde(buf);
		break;
	case 1:
		fuzz_dgram(buf, n, data[0] & 0x80);
		break;
	case 2:
		if (n >= sizeof(len)) {
			memcpy(&len, buf, sizeof(len));
			if (helper_reply_len_ok(len) &&
			    (len < 1 || len > UNET_REPLY_TEXT_MAX))
				abort();
		}
		break;
	}
	return 0;
}
