// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opts.c: uml_slirp's command line: long options for both modes and the
 * classic slirp commands ("redir [tcp|udp] HOSTPORT [to] [ADDR:]PORT") that
 * UML's slirp transport passes with '_' turned into ' '.  Pure: no libslirp,
 * so the unit test and the fuzzer build it alone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "uml_slirp.h"

#define OPTS_MAX_ARGS	128
#define OPTS_TOK_MAX	128

enum {
	OPT_FD = 256, OPT_READY_FD, OPT_NET, OPT_HOST, OPT_DNS, OPT_DHCP,
	OPT_IPV6, OPT_NO_IPV6, OPT_FWD, OPT_MTU, OPT_RESTRICT, OPT_NO_LOOP,
	OPT_BESS, OPT_USER, OPT_SANDBOX_TEST,
};

static const struct option opts_long[] = {
	{ "fd",			required_argument, NULL, OPT_FD },
	{ "ready-fd",		required_argument, NULL, OPT_READY_FD },
	{ "bess",		required_argument, NULL, OPT_BESS },
	{ "net",		required_argument, NULL, OPT_NET },
	{ "host",		required_argument, NULL, OPT_HOST },
	{ "dns",		required_argument, NULL, OPT_DNS },
	{ "dhcp-start",		required_argument, NULL, OPT_DHCP },
	{ "ipv6-prefix",	required_argument, NULL, OPT_IPV6 },
	{ "no-ipv6",		no_argument,	   NULL, OPT_NO_IPV6 },
	{ "forward",		required_argument, NULL, OPT_FWD },
	{ "mtu",		required_argument, NULL, OPT_MTU },
	{ "restrict",		no_argument,	   NULL, OPT_RESTRICT },
	{ "no-host-loopback",	no_argument,	   NULL, OPT_NO_LOOP },
	{ "user",		required_argument, NULL, OPT_USER },
#ifdef UMLNET_SANDBOX_TEST
	/* hidden: show what the sandbox does with a forbidden call */
	{ "sandbox-test",	no_argument,	   NULL, OPT_SANDBOX_TEST },
#endif
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/**
 * us_usage() - print the help text to @out.
 */
void us_usage(FILE *out)
{
	fputs(
"Usage: uml_slirp [OPTION]... [redir [tcp|udp] HOSTPORT [to] [ADDR:]GUESTPORT]...\n"
"User-mode NAT (libslirp) for User-mode Linux guests; no privileges needed.\n"
"It runs sandboxed (seccomp, namespaces, no capabilities, never as root).\n"
"\n"
"Without --fd or --bess it is a drop-in for the legacy slirp program of UML's\n"
"slirp transport: SLIP (IPv4) on stdin and stdout (a socket or a pipe).\n"
"The kernel turns every '_' of the program and ARGS into ' ', so call it by\n"
"a name without one (a symlink uml-slirp, or slirp found in PATH):\n"
"  eth0=slirp,,/path/to/uml-slirp[,ARGS]\n"
"and inside the guest: ifconfig eth0 10.0.2.15 up; route add default dev eth0\n"
"\n"
"  --fd N               Ethernet mode: one frame per message on socket N\n"
"                       (SOCK_SEQPACKET or SOCK_DGRAM); DHCP, DNS, IPv6 RA\n"
"  --bess PATH          Ethernet mode for one UML vector client\n"
"                       (vec0:transport=bess,dst=PATH); exits when it leaves\n"
"  --net ADDR/LEN       guest network (default 10.0.2.0/24)\n"
"  --host ADDR          the gateway/host address (default network .2)\n"
"  --dns ADDR           the DNS forwarder (default network .3)\n"
"  --dhcp-start ADDR    first DHCP lease (default network .15); also the\n"
"                       guest address forwards go to by default\n"
"  --ipv6-prefix P/LEN  IPv6 prefix, LEN <= 126 (default fd00::/64; host ::2,\n"
"                       DNS ::3); not in legacy mode\n"
"  --no-ipv6            IPv4 only\n"
"  --forward PROTO:[HADDR:]HPORT:[GADDR:]GPORT\n"
"                       host port forward (repeatable); PROTO tcp or udp;\n"
"                       HADDR default 0.0.0.0, [::] or [::1] for IPv6;\n"
"                       GADDR default the DHCP guest, [v6addr] for IPv6\n"
"  --mtu N              interface MTU (576-16384, default 1500)\n"
"  --restrict           no connections from the guest to the outside\n"
"  --no-host-loopback   the guest cannot reach the host's 127.0.0.1\n"
"  --ready-fd N         write \"ok\" (or the error) to N once set up\n"
"  --user USER          started as root: run as USER (default nobody)\n"
"  -v, --verbose        log more on stderr\n"
"  -h, --help           this text\n"
"  -V, --version        version\n"
"\n"
"Legacy commands (as separate arguments or one argument with spaces):\n"
"  redir [tcp|udp] HOSTPORT [to] [ADDR:]GUESTPORT   like --forward\n", out);
}

static int opts_uint(const char *s, unsigned long min, unsigned long max,
		     unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

static int opts_in4(const char *s, struct in_addr *a)
{
	return inet_pton(AF_INET, s, a) == 1 ? 0 : -EINVAL;
}

/* ADDR/LEN; host bits must be zero. */
static int opts_net4(const char *s, struct in_addr *net, struct in_addr *mask)
{
	char buf[INET_ADDRSTRLEN + 4];
	unsigned long len;
	char *slash;
	uint32_t m;

	if (strnlen(s, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	if (opts_in4(buf, net) || opts_uint(slash + 1, 8, 30, &len))
		return -EINVAL;
	m = len ? 0xffffffffu << (32 - len) : 0;
	mask->s_addr = htonl(m);
	if (ntohl(net->s_addr) & ~m)
		return -EINVAL;
	return 0;
}

static int opts_net6(const char *s, struct in6_addr *p, unsigned int *plen)
{
	char buf[INET6_ADDRSTRLEN + 5];
	unsigned long len;
	char *slash;

	if (strnlen(s, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = '\0';
	if (inet_pton(AF_INET6, buf, p) != 1 ||
	    opts_uint(slash + 1, 8, 126, &len))
		return -EINVAL;
	/* no bits beyond the prefix: ::2 and ::3 are put there */
	for (unsigned int bit = len; bit < 128; bit++)
		if (p->s6_addr[bit / 8] & (0x80 >> (bit % 8)))
			return -EINVAL;
	*plen = len;
	return 0;
}

/* Split "a:b:[c::d]:e" at ':' outside brackets; brackets are stripped. */
static int opts_split(char *s, char **tok, int max)
{
	int n = 0;

	while (n < max) {
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close || (close[1] && close[1] != ':'))
				return -EINVAL;
			tok[n++] = s + 1;
			*close = '\0';
			s = close + 1;
		} else {
			tok[n++] = s;
			s += strcspn(s, ":");
		}
		if (!*s)
			return n;
		*s++ = '\0';
	}
	return -EINVAL;
}

static int opts_is_port(const char *s)
{
	unsigned long v;

	return !opts_uint(s, 1, 65535, &v);
}

/* An address (empty = default) and a port into a sockaddr_storage. */
static int opts_sockaddr(const char *addr, const char *port,
			 struct sockaddr_storage *ss, int v6_default)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	unsigned long p;

	memset(ss, 0, sizeof(*ss));
	if (opts_uint(port, 1, 65535, &p))
		return -EINVAL;
	if ((!addr || !*addr) && v6_default) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(p);
		return 0;
	}
	if (!addr || !*addr || inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(p);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(p);
		return 0;
	}
	return -EINVAL;
}

/**
 * us_parse_forward() - parse PROTO:[HADDR:]HPORT:[GADDR:]GPORT.
 * @s:		the text
 * @f:		result
 * @err:	message naming what is wrong
 * @errlen:	size of @err
 *
 * Return: 0 or -EINVAL.
 */
int us_parse_forward(const char *s, struct us_fwd *f, char *err,
		     size_t errlen)
{
	char buf[OPTS_TOK_MAX * 2], *tok[5];
	const char *ha = NULL, *hp, *ga = NULL, *gp;
	int n;

	memset(f, 0, sizeof(*f));
	if (strnlen(s, sizeof(buf)) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	n = opts_split(buf, tok, 5);
	if (n < 3)
		goto bad;
	if (!strcmp(tok[0], "udp"))
		f->udp = 1;
	else if (strcmp(tok[0], "tcp"))
		goto bad;
	if (n == 3) {
		hp = tok[1];
		gp = tok[2];
	} else if (n == 5) {
		ha = tok[1];
		hp = tok[2];
		ga = tok[3];
		gp = tok[4];
	} else if (opts_is_port(tok[1])) {	/* HPORT:GADDR:GPORT */
		hp = tok[1];
		ga = tok[2];
		gp = tok[3];
	} else {				/* HADDR:HPORT:GPORT */
		ha = tok[1];
		hp = tok[2];
		gp = tok[3];
	}
	if (opts_sockaddr(ha, hp, &f->host, 0))
		goto bad;
	if (opts_sockaddr(ga, gp, &f->guest, 0))
		goto bad;
	return 0;
bad:
	snprintf(err, errlen,
		 "bad forward '%s' (want tcp|udp:[HOSTADDR:]HOSTPORT:[GUESTADDR:]GUESTPORT)",
		 s);
	return -EINVAL;
}

/**
 * us_parse_redir() - parse the words after "redir" of a classic slirp
 * command: [tcp|udp] HOSTPORT [to] [ADDR:]GUESTPORT (space separated).
 *
 * Return: 0 or -EINVAL with @err set.
 */
int us_parse_redir(const char *s, struct us_fwd *f, char *err, size_t errlen)
{
	char buf[OPTS_TOK_MAX * 2], *w[5], *save = NULL, *p, *colon;
	const char *ga = NULL, *gp;
	int n = 0, i = 0;

	memset(f, 0, sizeof(*f));
	if (strnlen(s, sizeof(buf)) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	for (p = strtok_r(buf, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (n == 5)
			goto bad;
		w[n++] = p;
	}
	if (i < n && (!strcmp(w[i], "tcp") || !strcmp(w[i], "udp")))
		f->udp = !strcmp(w[i++], "udp");
	if (i >= n)
		goto bad;
	if (opts_sockaddr(NULL, w[i++], &f->host, 0))
		goto bad;
	if (i < n && !strcmp(w[i], "to"))
		i++;
	if (i != n - 1)
		goto bad;
	colon = strrchr(w[i], ':');
	if (colon) {
		*colon = '\0';
		ga = w[i];
		gp = colon + 1;
	} else {
		gp = w[i];
	}
	if (opts_sockaddr(ga, gp, &f->guest, 0) ||
	    f->guest.ss_family != AF_INET)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen,
		 "bad command 'redir %s' (want redir [tcp|udp] HOSTPORT [to] [ADDR:]GUESTPORT)",
		 s);
	return -EINVAL;
}

static int opts_fd(const char *s, int *fd)
{
	unsigned long v;

	if (opts_uint(s, 0, 1 << 20, &v))
		return -EINVAL;
	*fd = v;
	return 0;
}

static int opts_add_fwd(struct us_cfg *c, const struct us_fwd *f, char *err,
			size_t errlen)
{
	if (c->nfwd >= US_MAX_FWD) {
		snprintf(err, errlen, "too many forwards (at most %d)",
			 US_MAX_FWD);
		return -EINVAL;
	}
	c->fwd[c->nfwd++] = *f;
	return 0;
}

static int opts_one(struct us_cfg *c, int opt, const char *arg, char *err,
		    size_t errlen)
{
	struct us_fwd f;
	unsigned long v;

	switch (opt) {
	case OPT_FD:
		if (opts_fd(arg, &c->fd))
			goto bad;
		c->mode = US_MODE_ETHER;
		return 0;
	case OPT_BESS:
		if (!*arg || strlen(arg) >= sizeof(((struct sockaddr_un *)0)->sun_path))
			goto bad;
		c->bess = arg;
		c->mode = US_MODE_ETHER;
		return 0;
	case OPT_READY_FD:
		return opts_fd(arg, &c->ready_fd) ? -EINVAL : 0;
	case OPT_NET:
		return opts_net4(arg, &c->net, &c->mask) ? -EINVAL : 0;
	case OPT_HOST:
		return opts_in4(arg, &c->host);
	case OPT_DNS:
		return opts_in4(arg, &c->dns);
	case OPT_DHCP:
		return opts_in4(arg, &c->dhcp_start);
	case OPT_IPV6:
		c->ipv6 = 1;
		return opts_net6(arg, &c->prefix6, &c->prefix6_len);
	case OPT_NO_IPV6:
		c->ipv6 = 0;
		return 0;
	case OPT_FWD:
		if (us_parse_forward(arg, &f, err, errlen))
			return -EINVAL;
		return opts_add_fwd(c, &f, err, errlen);
	case OPT_MTU:
		if (opts_uint(arg, US_MTU_MIN, US_MTU_MAX, &v))
			goto bad;
		c->mtu = v;
		return 0;
	case OPT_RESTRICT:
		c->restrict_out = 1;
		return 0;
	case OPT_NO_LOOP:
		c->no_host_loopback = 1;
		return 0;
	case OPT_USER:
		if (!*arg)
			goto bad;
		c->user = arg;
		return 0;
	case OPT_SANDBOX_TEST:
		c->sandbox_test = 1;
		return 0;
	case 'v':
		c->verbose++;
		return 0;
	}
bad:
	return -EINVAL;
}

static const char *opts_name(int opt)
{
	const struct option *o;

	for (o = opts_long; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

/* Classic slirp commands from the words left after the options. */
static int opts_commands(struct us_cfg *c, char **words, int n, char *err,
			 size_t errlen)
{
	char rest[OPTS_TOK_MAX * 2];
	struct us_fwd f;
	int i = 0, j;

	while (i < n) {
		if (strcmp(words[i], "redir")) {
			snprintf(err, errlen,
				 "unknown command '%s' (only 'redir' is supported)",
				 words[i]);
			return -EINVAL;
		}
		/* the command runs up to the next "redir" */
		rest[0] = '\0';
		for (j = i + 1; j < n && strcmp(words[j], "redir"); j++) {
			if (strlen(rest) + strlen(words[j]) + 2 > sizeof(rest)) {
				snprintf(err, errlen, "redir command too long");
				return -EINVAL;
			}
			if (rest[0])
				strcat(rest, " ");
			strcat(rest, words[j]);
		}
		if (us_parse_redir(rest, &f, err, errlen) ||
		    opts_add_fwd(c, &f, err, errlen))
			return -EINVAL;
		i = j;
	}
	return 0;
}

/*
 * The kernel hands "--forward tcp:1:2" as one argument when the user wrote
 * "--forward_tcp:1:2", and "redir 80 80" for "redir_80_80": split every
 * argument into words at spaces (no option value contains one).
 */
static int opts_words(int argc, char **argv, char **out, char *store,
		      size_t storelen)
{
	size_t used = 0;
	int i, n = 1;
	char *p, *save;

	out[0] = argv[0];
	for (i = 1; i < argc; i++) {
		size_t len = strlen(argv[i]) + 1;

		if (used + len > storelen)
			return -E2BIG;
		p = memcpy(store + used, argv[i], len);
		used += len;
		for (p = strtok_r(p, " \t", &save); p;
		     p = strtok_r(NULL, " \t", &save)) {
			if (n + 1 >= OPTS_MAX_ARGS)
				return -E2BIG;
			out[n++] = p;
		}
	}
	out[n] = NULL;
	return n;
}

/**
 * us_parse_args() - fill @c from the command line (defaults first).
 * @c:		configuration
 * @argc, @argv: the command line
 * @err:	message naming the offending argument
 * @errlen:	size of @err
 *
 * Return: 0, US_HELP or US_VERSION when asked for, or -EINVAL with @err
 * set.  Nothing is printed.
 */
int us_parse_args(struct us_cfg *c, int argc, char **argv, char *err,
		  size_t errlen)
{
	static char store[8192];
	char *words[OPTS_MAX_ARGS];
	int n, opt, idx;

	memset(c, 0, sizeof(*c));
	c->mode = US_MODE_LEGACY;
	c->fd = -1;
	c->ready_fd = -1;
	c->ipv4 = 1;
	c->ipv6 = -1;		/* default: on in Ethernet mode */
	c->mtu = US_MTU_DEFAULT;
	n = opts_words(argc, argv, words, store, sizeof(store));
	if (n < 0) {
		snprintf(err, errlen, "too many or too long arguments");
		return -EINVAL;
	}
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(n, words, "vhV", opts_long, &idx)) != -1) {
		if (opt == 'h' || opt == 'V')
			return opt == 'h' ? US_HELP : US_VERSION;
		if (opt == '?' || opt == ':') {
			if (optopt && optopt < 256)
				snprintf(err, errlen, "unknown option '-%c'",
					 optopt);
			else if (optopt)
				snprintf(err, errlen,
					 "option '--%s' needs a value",
					 opts_name(optopt));
			else
				snprintf(err, errlen, "unknown option '%s'",
					 words[optind - 1]);
			return -EINVAL;
		}
		err[0] = '\0';
		if (opts_one(c, opt, optarg, err, errlen)) {
			if (!err[0])
				snprintf(err, errlen, "--%s: bad value '%s'",
					 opts_name(opt), optarg ? optarg : "");
			return -EINVAL;
		}
	}
	return opts_commands(c, words + optind, n - optind, err, errlen);
}

static uint32_t opts_nth(const struct us_cfg *c, uint32_t n)
{
	return htonl(ntohl(c->net.s_addr) | n);
}

static int opts_in_net(const struct us_cfg *c, struct in_addr a)
{
	return (a.s_addr & c->mask.s_addr) == c->net.s_addr &&
	       (a.s_addr & ~c->mask.s_addr) &&
	       (a.s_addr | c->mask.s_addr) != 0xffffffffu;
}

/**
 * us_cfg_finish() - fill in defaults that depend on other options and check
 * the whole configuration.
 *
 * Return: 0 or -EINVAL with @err set.
 */
int us_cfg_finish(struct us_cfg *c, char *err, size_t errlen)
{
	if (!c->net.s_addr) {
		inet_pton(AF_INET, "10.0.2.0", &c->net);
		inet_pton(AF_INET, "255.255.255.0", &c->mask);
	}
	if (!c->host.s_addr)
		c->host.s_addr = opts_nth(c, 2);
	if (!c->dns.s_addr)
		c->dns.s_addr = opts_nth(c, 3);
	if (!c->dhcp_start.s_addr)
		c->dhcp_start.s_addr = opts_nth(c, 15);
	if (!opts_in_net(c, c->host) || !opts_in_net(c, c->dns) ||
	    !opts_in_net(c, c->dhcp_start)) {
		snprintf(err, errlen,
			 "--host, --dns and --dhcp-start must be host addresses inside --net");
		return -EINVAL;
	}
	if (c->host.s_addr == c->dns.s_addr ||
	    c->host.s_addr == c->dhcp_start.s_addr ||
	    c->dns.s_addr == c->dhcp_start.s_addr) {
		snprintf(err, errlen,
			 "--host, --dns and --dhcp-start must differ");
		return -EINVAL;
	}
	if (c->bess && c->fd >= 0) {
		snprintf(err, errlen, "--fd and --bess exclude each other");
		return -EINVAL;
	}
	if (c->mode == US_MODE_LEGACY) {
		if (c->ipv6 == 1) {
			snprintf(err, errlen,
				 "--ipv6-prefix: the legacy SLIP link carries IPv4 only");
			return -EINVAL;
		}
		c->ipv6 = 0;
	} else if (c->ipv6 == -1) {
		c->ipv6 = 1;
	}
	if (c->ipv6 && !c->prefix6_len) {
		inet_pton(AF_INET6, "fd00::", &c->prefix6);
		c->prefix6_len = 64;
	}
	if (c->ipv6) {
		c->host6 = c->prefix6;
		c->host6.s6_addr[15] |= 2;
		c->dns6 = c->prefix6;
		c->dns6.s6_addr[15] |= 3;
	}
	for (unsigned int i = 0; i < c->nfwd; i++) {
		struct sockaddr_in *g = (struct sockaddr_in *)&c->fwd[i].guest;

		if (g->sin_family == AF_INET && !g->sin_addr.s_addr)
			g->sin_addr = c->dhcp_start;
		if (c->fwd[i].guest.ss_family == AF_INET6 && !c->ipv6) {
			snprintf(err, errlen,
				 "forward %u: an IPv6 guest address needs IPv6 on",
				 i + 1);
			return -EINVAL;
		}
	}
	return 0;
}
