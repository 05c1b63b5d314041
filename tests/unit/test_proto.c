// SPDX-License-Identifier: GPL-2.0-or-later
/* test_proto.c: decoding daemon protocol requests of every version. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "proto.h"
#include "test.h"

static size_t v3(uint8_t *b, uint32_t magic, uint32_t version, uint32_t type)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t n;

	a.sun_path[1] = 'x';	/* abstract */
	n = proto_req_build(b, &a);
	memcpy(b, &magic, 4);
	memcpy(b + 4, &version, 4);
	memcpy(b + 8, &type, 4);
	return n;
}

int main(void)
{
	uint8_t b[400];
	struct proto_req r;
	const char *why;
	size_t n;
	uint32_t t;
	uint16_t fam;

	/* UML: 124 bytes. */
	n = v3(b, PROTO_MAGIC, 3, 0);
	CHECK(n == 124);
	CHECK(proto_req_parse(b, n, &r, &why) == 0 && r.version == 3);
	CHECK(r.addr.sun_path[0] == 0 && r.addr.sun_path[1] == 'x');
	CHECK(r.descr[0] == 0 || r.descr[0] == 0);

	/* libvdeplug: packed, 122 + description, port in the type. */
	n = v3(b, PROTO_MAGIC, 3, 5 << 8);
	memcpy(b + 122, "QEMU user=0 pid=1", 17);
	CHECK(proto_req_parse(b, 139, &r, &why) == 0);
	CHECK(r.want_port == 5 && r.type == 0);
	CHECK(!strcmp(r.descr, "QEMU user=0 pid=1"));

	/* Bad ones. */
	n = v3(b, 0xdeadbeef, 3, 0);
	CHECK(proto_req_parse(b, n, &r, &why) == -EPROTO);
	CHECK(strstr(why, "magic") != NULL);
	n = v3(b, PROTO_MAGIC, 2, 0);
	CHECK(proto_req_parse(b, n, &r, &why) == -EPROTONOSUPPORT);
	n = v3(b, PROTO_MAGIC, 4, 0);
	CHECK(proto_req_parse(b, n, &r, &why) == -EPROTONOSUPPORT);
	CHECK(strstr(why, "version") != NULL);
	n = v3(b, PROTO_MAGIC, 3, 7);
	CHECK(proto_req_parse(b, n, &r, &why) == -EPROTO);
	CHECK(strstr(why, "type") != NULL);
	n = v3(b, PROTO_MAGIC, 3, 0);
	CHECK(proto_req_parse(b, 100, &r, &why) == -EMSGSIZE);
	CHECK(proto_req_parse(b, 5, &r, &why) == -EMSGSIZE);
	CHECK(proto_req_parse(b, 300, &r, &why) == -EMSGSIZE);
	fam = AF_INET;
	memcpy(b + 12, &fam, 2);
	CHECK(proto_req_parse(b, 124, &r, &why) == -EINVAL);
	CHECK(strstr(why, "family") != NULL);
	/* A path that fills sun_path without a NUL. */
	n = v3(b, PROTO_MAGIC, 3, 0);
	memset(b + 14, 'a', 108);
	CHECK(proto_req_parse(b, 124, &r, &why) == -EINVAL);

	/* v1: magic, type 0 in the version slot, MAC, address at 14. */
	memset(b, 0, sizeof(b));
	t = PROTO_MAGIC;
	memcpy(b, &t, 4);
	fam = AF_UNIX;
	memcpy(b + 14, &fam, 2);
	memcpy(b + 16, "/tmp/v1", 7);
	CHECK(proto_req_parse(b, 124, &r, &why) == 0 && r.version == 1);
	CHECK(!strcmp(r.addr.sun_path, "/tmp/v1"));

	/* v0: no magic, type 0, MAC, address at 10. */
	memset(b, 0, sizeof(b));
	memcpy(b + 10, &fam, 2);
	memcpy(b + 12, "/tmp/v0", 7);
	CHECK(proto_req_parse(b, 120, &r, &why) == 0 && r.version == 0);
	CHECK(!strcmp(r.addr.sun_path, "/tmp/v0"));
	CHECK(proto_req_parse(b, 60, &r, &why) == -EMSGSIZE);
	TEST_DONE("test_proto");
}
