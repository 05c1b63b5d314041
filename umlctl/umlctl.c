// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umlctl.c: umlctl, the command line of uml_switch's management socket:
 * which socket (-s: the management socket itself, or the control socket
 * or VDE directory beside which it lives), one JSON request per line,
 * one reply line each, and the commands of umlctl(8).  Lists come in
 * pages; umlctl asks for them all.  Output is a table, or with -j the
 * switch's JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "json.h"
#include "proto.h"
#include "umlctl.h"

#define UMLCTL_VERSION		"0.1"
#define UMLCTL_TIMEOUT_MS	10000	/* a reply takes no longer */

static char uc_req[8192];	/* a request being made */
static char uc_buf[UMLCTL_LINE_MAX + 1];	/* what the switch sent */
static struct json_tok uc_tok[UMLCTL_TOKENS];

/**
 * uc_err() - "umlctl: MESSAGE" on stderr.
 */
void uc_err(const char *fmt, ...)
{
	va_list ap;

	fputs("umlctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: umlctl [-s SOCKET] [-j] COMMAND [ARGS]\n"
"Look inside, and manage, a running uml_switch.\n"
"\n"
"  show                           the switch: mode, ports, table, totals\n"
"  ports [PORT]                   every port (or one) and its counters\n"
"  fdb [PORT]                     the MAC table (or one port's entries)\n"
"  fdb flush [PORT]               forget every station (or one port's)\n"
"  port add SPEC [name NAME]      a transport as a new port (tuntap:dev=D,\n"
"                                 mcast, ucast, daemon, bess, stream)\n"
"  port del PORT                  remove a port\n"
"  port set PORT [carrier up|down] [name NAME] [SETTING...]\n"
"                                 SETTINGs: the port's VLANs, impairment\n"
"  mode hub|switch                flood everything, or learn\n"
"  events                         follow what happens, a line per event\n"
"  capture [-p PORT]... [-w FILE|-] [-c COUNT] [-S SNAPLEN]\n"
"                                 frames crossing the ports, as pcapng\n"
"\n"
"  -s, --socket PATH  the management socket, or the control socket or VDE\n"
"                     directory of the switch (then CTL.mgmt, DIR/mgmt);\n"
"                     default: beside the default control socket\n"
"  -j, --json         print the switch's JSON instead of tables\n"
"  -h, --help, -V, --version\n"
"PORT is a port's index or name.  See umlctl(8), uml_switch-mgmt(7).\n");
}

static int uc_is_sock(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISSOCK(st.st_mode);
}

/* Which socket -s @s means (see usage).  Return: 0 or -ENAMETOOLONG. */
static int uc_resolve(const char *s, char *out, size_t len)
{
	char ctl[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *base;
	struct stat st;
	int n;

	if (!s) {
		if (proto_default_ctl(ctl, sizeof(ctl)))
			return -ENAMETOOLONG;
		s = ctl;
	}
	base = strrchr(s, '/') ? strrchr(s, '/') + 1 : s;
	if (!stat(s, &st) && S_ISDIR(st.st_mode))
		n = snprintf(out, len, "%s/mgmt", s);
	else if (!strcmp(base, "mgmt") || (strlen(base) > 5 &&
		 !strcmp(base + strlen(base) - 5, ".mgmt")))
		n = snprintf(out, len, "%s", s);
	else if ((n = snprintf(out, len, "%s.mgmt", s)) < (int)len &&
		 uc_is_sock(out))
		;
	else if (!strcmp(base, "ctl") &&
		 (n = snprintf(out, len, "%.*s/mgmt", base > s ?
			       (int)(base - s - 1) : 1, base > s ? s : ".")) <
		 (int)len && uc_is_sock(out))
		;
	else
		n = snprintf(out, len, "%s", s);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int uc_connect(struct uc *u, const char *sock)
{
	static char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	if (uc_resolve(sock, path, sizeof(path))) {
		uc_err("socket path '%s' is too long", sock ? sock : "");
		return -ENAMETOOLONG;
	}
	u->path = path;
	memcpy(a.sun_path, path, strlen(path) + 1);
	u->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (u->fd < 0 || connect(u->fd, (struct sockaddr *)&a, sizeof(a))) {
		uc_err("cannot connect to the management socket '%s': %s%s",
		       path, strerror(errno), errno == ENOENT ||
		       errno == ECONNREFUSED ? " (is a uml_switch serving it? "
		       "see -s and uml_switch --mgmt)" : errno == EACCES ?
		       " (it is its user's alone, unless --group)" : "");
		return -errno;
	}
	return 0;
}

/**
 * uc_drop_line() - forget the line just handled, keep what came after it.
 */
void uc_drop_line(struct uc *u)
{
	if (!u->line)
		return;
	u->have -= u->line + 1;
	memmove(u->buf, u->buf + u->line + 1, u->have);
	u->line = 0;
}

/**
 * uc_read_line() - read the next line and parse it (u->j).
 * @timeout_ms:	-1: wait as long as it takes
 * Return: 0, -EPIPE (the switch closed), -ETIMEDOUT, -EPROTO (not JSON
 * or too long), or -errno.
 */
int uc_read_line(struct uc *u, int timeout_ms)
{
	struct pollfd p = { .fd = u->fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	uc_drop_line(u);
	while (!(nl = memchr(u->buf, '\n', u->have))) {
		if (u->have == UMLCTL_LINE_MAX) {
			uc_err("a reply longer than %u bytes", UMLCTL_LINE_MAX);
			return -EPROTO;
		}
		n = poll(&p, 1, timeout_ms);
		if (n == 0)
			return -ETIMEDOUT;
		n = n < 0 ? -1 : read(u->fd, u->buf + u->have,
				      UMLCTL_LINE_MAX - u->have);
		if (n < 0 && errno == EINTR)
			return -EINTR;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		u->have += (size_t)n;
	}
	u->line = (size_t)(nl - u->buf);
	if (json_parse(&u->j, u->tok, UMLCTL_TOKENS, u->buf, u->line)) {
		uc_err("the switch's reply is not JSON (%s): is '%s' a "
		       "management socket?", u->j.err, u->path);
		return -EPROTO;
	}
	return 0;
}

/**
 * uc_request() - send one request line and read its reply; an error
 * reply is printed.  Return: 0 (u->j holds the reply), 1 (the switch
 * refused), or -errno.
 */
int uc_request(struct uc *u, const char *req)
{
	size_t len = strlen(req);
	char msg[512], code[64];
	int ret;

	if (write(u->fd, req, len) != (ssize_t)len) {
		uc_err("cannot send the request: %s", strerror(errno));
		return -EPIPE;
	}
	ret = uc_read_line(u, UMLCTL_TIMEOUT_MS);
	if (ret == -EPIPE)
		uc_err("'%s' closed the connection without a reply: not a "
		       "management socket (a control socket? is there none "
		       "beside it: uml_switch --mgmt none?)", u->path);
	else if (ret == -ETIMEDOUT)
		uc_err("no reply from '%s' in 10 s", u->path);
	if (ret)
		return ret;
	if (uc_get(&u->j, 0, "ok") >= 0 &&
	    u->tok[uc_get(&u->j, 0, "ok")].boolean)
		return 0;
	uc_err("%s (%s)", uc_str(&u->j, 0, "error", msg, sizeof(msg)),
	       uc_str(&u->j, 0, "code", code, sizeof(code)));
	return 1;
}

/**
 * uc_get() - the token at dotted @path ("counters.drops.total") under
 * object token @t.  Return: its index, or -1.
 */
int uc_get(const struct json *j, int t, const char *path)
{
	char key[64];
	const char *dot;
	size_t n;

	while (t >= 0 && *path) {
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key))
			return -1;
		memcpy(key, path, n);
		key[n] = '\0';
		t = json_member(j, (unsigned int)t, key);
		path += n + (dot ? 1 : 0);
	}
	return t;
}

/** uc_num() - the number at @path, or 0. */
uint64_t uc_num(const struct json *j, int t, const char *path)
{
	uint64_t v = 0;

	t = uc_get(j, t, path);
	if (t < 0 || json_uint(j, (unsigned int)t, &v))
		return 0;
	return v;
}

/** uc_str() - the string at @path, or "-" (a number: its digits). */
const char *uc_str(const struct json *j, int t, const char *path, char *buf,
		   size_t len)
{
	const char *s;
	size_t n;

	t = uc_get(j, t, path);
	if (t >= 0 && json_string(j, (unsigned int)t, buf, len) >= 0)
		return buf;
	if (t >= 0 && j->tok[t].type == JSON_NUMBER) {
		uc_raw(j, t, &s, &n);
		snprintf(buf, len, "%.*s", (int)n, s);
		return buf;
	}
	return "-";
}

/** uc_raw() - token @t's JSON text (strings with their quotes). */
void uc_raw(const struct json *j, int t, const char **s, size_t *n)
{
	const struct json_tok *k = &j->tok[t];
	int q = k->type == JSON_STRING;

	*s = j->src + k->off - q;
	*n = k->len + 2 * (size_t)q;
}

/* A request {"cmd":@cmd} with a few string or number members. */
static const char *uc_make(const char *cmd, const char *k1, const char *v1,
			   const char *k2, const char *v2)
{
	struct jw w;

	jw_init(&w, uc_req, sizeof(uc_req) - 1);
	jw_obj(&w, NULL);
	jw_str(&w, "cmd", cmd);
	if (k1)
		jw_str(&w, k1, v1);
	if (k2)
		jw_str(&w, k2, v2);
	jw_end(&w);
	if (w.overflow) {
		uc_err("request too long");
		exit(2);
	}
	strcat(uc_req, "\n");
	return uc_req;
}

/* A request for the page of @cmd from @start (of @port's, if given). */
static void uc_page(const char *cmd, const char *port, uint64_t start)
{
	struct jw w;

	jw_init(&w, uc_req, sizeof(uc_req) - 1);
	jw_obj(&w, NULL);
	jw_str(&w, "cmd", cmd);
	if (port)
		jw_str(&w, "port", port);
	else
		jw_u64(&w, "start", start);
	if (port && !strcmp(cmd, "fdb"))
		jw_u64(&w, "start", start);
	jw_end(&w);
	if (w.overflow) {
		uc_err("request too long");
		exit(2);
	}
	strcat(uc_req, "\n");
}

/* ports and fdb: every page; a table, or with -j one JSON array. */
static int cmd_list(struct uc *u, const char *cmd, const char *port)
{
	const int fdb = !strcmp(cmd, "fdb");
	uint64_t next = 0;
	int ret, arr, k, n = 0, first = 1, i;
	const char *s;
	size_t len;

	if (u->json)
		putchar('[');
	else if (fdb)
		print_fdb_head();
	else
		print_ports_head();
	do {
		uc_page(cmd, port, next);
		ret = uc_request(u, uc_req);
		if (ret)
			return ret;
		arr = uc_get(&u->j, 0, fdb ? "fdb" : "ports");
		if (arr < 0 || u->tok[arr].type != JSON_ARRAY) {
			uc_err("the reply has no list");
			return -EPROTO;
		}
		for (i = 0, k = arr + 1; i < (int)u->tok[arr].size;
		     i++, k = (int)u->tok[k].next, n++) {
			if (u->json) {
				uc_raw(&u->j, k, &s, &len);
				printf("%s%.*s", first ? "" : ",", (int)len, s);
				first = 0;
			} else if (fdb) {
				print_fdb_entry(&u->j, k);
			} else {
				print_port(&u->j, k);
			}
		}
		k = uc_get(&u->j, 0, "next");
		if (k < 0 || u->tok[k].type != JSON_NUMBER)
			break;
		next = uc_num(&u->j, 0, "next");
	} while (!port || fdb);	/* one port's table entries: pages too */
	if (u->json)
		printf("]\n");
	else if (fdb)
		printf("%d entr%s\n", n, n == 1 ? "y" : "ies");
	return 0;
}

static int cmd_print_reply(struct uc *u, const char *member)
{
	int t = member ? uc_get(&u->j, 0, member) : 0;
	const char *s;
	size_t n;

	if (t < 0)
		t = 0;
	uc_raw(&u->j, t, &s, &n);
	printf("%.*s\n", (int)n, s);
	return 0;
}

/* Word @w of a port's settings, after those in @link. */
static int uc_link_add(char *link, size_t len, const char *w)
{
	size_t n = strlen(link);

	if (n + strlen(w) + 2 > len) {
		uc_err("port set: settings longer than %zu bytes", len - 1);
		return -EINVAL;
	}
	snprintf(link + n, len - n, "%s%s", n ? " " : "", w);
	return 0;
}

static int cmd_port(struct uc *u, int argc, char **argv)
{
	const char *carrier = NULL, *name = NULL;
	char buf[64], link[256] = "";	/* the switch's LINK_TEXT_MAX */
	int i, ret;

	if (argc >= 2 && !strcmp(argv[0], "add") &&
	    (argc == 2 || (argc == 4 && !strcmp(argv[2], "name")))) {
		ret = uc_request(u, uc_make("port_add", "spec", argv[1],
					    argc == 4 ? "name" : NULL,
					    argc == 4 ? argv[3] : NULL));
		if (ret || u->json)
			return ret ? ret : cmd_print_reply(u, "port");
		print_ports_head();
		print_port(&u->j, uc_get(&u->j, 0, "port"));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[0], "del")) {
		ret = uc_request(u, uc_make("port_del", "port", argv[1], NULL,
					    NULL));
		if (ret || u->json)
			return ret ? ret : cmd_print_reply(u, NULL);
		printf("port %s (%s) removed: ", uc_str(&u->j, 0, "index", buf,
		       sizeof(buf)), uc_str(&u->j, 0, "name", buf + 32, 32));
		print_port_counters(&u->j, uc_get(&u->j, 0, "counters"), "");
		return 0;
	}
	if (argc < 3 || strcmp(argv[0], "set"))
		goto bad;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "carrier") && !carrier && i + 1 < argc &&
		    (!strcmp(argv[i + 1], "up") || !strcmp(argv[i + 1], "down")))
			carrier = argv[++i];
		else if (!strcmp(argv[i], "name") && !name && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "carrier") || !strcmp(argv[i], "name"))
			goto bad;	/* ours, not a link setting: misused */
		else if (uc_link_add(link, sizeof(link), argv[i]))
			return 2;
	}
	/* the settings first: the switch checks them before it changes
	 * anything, so a bad one leaves the port as it was */
	ret = 0;
	if (*link)
		ret = uc_request(u, uc_make("port_set", "port", argv[1],
					    "link", link));
	if (!ret && carrier)
		ret = uc_request(u, uc_make("port_set", "port", argv[1],
					    "carrier", carrier));
	if (!ret && name)
		ret = uc_request(u, uc_make("port_set", "port", argv[1],
					    "name", name));
	if (ret || u->json)
		return ret ? ret : cmd_print_reply(u, "port");
	print_ports_head();
	print_port(&u->j, uc_get(&u->j, 0, "port"));
	return 0;
bad:
	uc_err("usage: port add SPEC [name NAME] | port del PORT | port set "
	       "PORT [carrier up|down] [name NAME] [SETTING...]");
	return 2;
}

static int cmd_simple(struct uc *u, int argc, char **argv)
{
	const char *cmd = argv[0];
	char a[32], b[32];
	int ret;

	if (!strcmp(cmd, "show") && argc == 1) {
		ret = uc_request(u, uc_make("show", NULL, NULL, NULL, NULL));
		if (!ret)
			u->json ? cmd_print_reply(u, "switch") : print_show(&u->j);
		return ret;
	}
	if (!strcmp(cmd, "mode") && argc == 2) {
		ret = uc_request(u, uc_make("mode", "mode", argv[1], NULL, NULL));
		if (!ret && u->json)
			cmd_print_reply(u, NULL);
		else if (!ret)
			printf("mode: %s (was %s)\n",
			       uc_str(&u->j, 0, "mode", a, sizeof(a)),
			       uc_str(&u->j, 0, "was", b, sizeof(b)));
		return ret;
	}
	if (!strcmp(cmd, "fdb") && argc >= 2 && argc <= 3 &&
	    !strcmp(argv[1], "flush")) {
		ret = uc_request(u, uc_make("fdb_flush", argc == 3 ? "port" :
					    NULL, argv[2], NULL, NULL));
		if (!ret && u->json)
			cmd_print_reply(u, NULL);
		else if (!ret)
			printf("flushed %llu entr%s\n",
			       (unsigned long long)uc_num(&u->j, 0, "flushed"),
			       uc_num(&u->j, 0, "flushed") == 1 ? "y" : "ies");
		return ret;
	}
	if ((!strcmp(cmd, "ports") || !strcmp(cmd, "fdb")) && argc <= 2)
		return cmd_list(u, cmd, argc == 2 ? argv[1] : NULL);
	uc_err("unknown command or arguments: '%s'%s (see umlctl --help)",
	       cmd, argc > 1 ? " ..." : "");
	return 2;
}

static int uc_run(struct uc *u, int argc, char **argv)
{
	if (!strcmp(argv[0], "port"))
		return cmd_port(u, argc - 1, argv + 1);
	if (!strcmp(argv[0], "events") && argc == 1)
		return stream_events(u);
	if (!strcmp(argv[0], "capture"))
		return stream_capture(u, argc, argv);
	return cmd_simple(u, argc, argv);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct uc u = { .fd = -1 };
	const char *sock = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "+s:jhV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'j':
			u.json = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("umlctl (umlnet) " UMLCTL_VERSION "\n");
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		uc_err("no command (see umlctl --help)");
		return 2;
	}
	u.buf = uc_buf;
	u.tok = uc_tok;
	if (uc_connect(&u, sock))
		return 1;
	ret = uc_run(&u, argc - optind, argv + optind);
	close(u.fd);
	if (fflush(stdout) || ferror(stdout)) {
		uc_err("writing the output: %s", strerror(errno));
		return 1;
	}
	return ret < 0 ? 1 : ret;
}
