// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * opts.c: the command line: the original's single-dash options, processed
 * left to right (-unix takes two paths after -compat-v0), and long options.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proto.h"
#include "sw.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: uml_switch [OPTION]...\n"
"An L2 switch (or hub) for User-mode Linux guests, VDE clients and taps.\n"
"Guests join with eth0=daemon,,unix,CTL (or eth0=vde,DIR with a directory).\n"
"\n"
"  -unix, --unix PATH     control socket (a directory means PATH/ctl);\n"
"                         default " PROTO_DEFAULT_CTL_ROOT " as root,\n"
"                         else $XDG_RUNTIME_DIR/uml_switch.ctl or\n"
"                         /tmp/uml_switch-UID/ctl\n"
"  -hub, --hub            flood every frame (a hub)\n"
"      --mode switch|hub  the same, spelt out\n"
"  -tap, --tap DEV[,SET]  add tap device DEV as a port (repeatable), with\n"
"                         link settings SET (see LINK SETTINGS)\n"
"  -daemon, --daemon      detach once the sockets are ready\n"
"  -compat-v0             accept protocol v0 clients; then -unix takes\n"
"                         CTL DATA (default data socket /tmp/uml.data)\n"
"      --port SPEC        a libumlnet transport as a port (repeatable),\n"
"                         e.g. mcast, tuntap,tap1, pcap,eth1, slirp\n"
"      --client-link SET  link settings of every client of the sockets\n"
"      --bess PATH        listen for UML vector clients\n"
"                         (vec0:transport=bess,dst=PATH)\n"
"      --stream PATH      listen for QEMU -netdev stream clients\n"
"                         (addr.type=unix,addr.path=PATH)\n"
"      --vhost-user PATH  listen for vhost-user-net front ends (a UML\n"
"                         guest's virtio_uml.device=PATH:1)\n"
"      --no-offload       offer vhost-user guests no checksum offload or\n"
"                         TSO (default: offered; done in software toward\n"
"                         ports that cannot take them)\n"
"      --mgmt PATH|none   management socket (umlctl); default beside\n"
"                         the control socket: CTL.mgmt, or DIR/mgmt\n"
"      --group GROUP      sockets' group, mode 0660 (else 0600)\n"
"      --user USER        started as root, serve as USER (default nobody)\n"
"      --pidfile FILE     write the pid to FILE (removed at exit)\n"
"      --max-macs N       MAC table size (default %d); when full, unknown\n"
"                         stations are flooded and the event counted\n"
"      --aging SECS       forget a MAC unseen for SECS (default %d; 0 never)\n"
"      --queue N          frames queued per port (default %d)\n"
"      --max-ports N      most ports at once (default %d)\n"
"  -v, --verbose          log learning and more\n"
"  -h, --help             this text\n"
"  -V, --version          version\n"
"\n"
"LINK SETTINGS are the switch's keys in a --port SPEC, after -tap DEV, in\n"
"--client-link, and in umlctl port set: KEY=VALUE items, e.g. vlan=10.\n"
"VLANs (802.1Q; default: every port an access port of VLAN 1):\n"
"  vlan=VID               an access port of VLAN VID (1-4094): untagged\n"
"  trunk=VIDS[,native=VID]  a trunk: VIDS (e.g. 10+20+30-40) tagged, the\n"
"                         native VLAN untagged; without native, untagged\n"
"                         frames in are dropped (counted as vlan drops)\n"
"  e.g. -tap tap0,vlan=10  --port tuntap:dev=tap1,trunk=10+20,native=1\n"
"Impairment (umlctl(8), LINK IMPAIRMENT), toward the port unless 'in':\n"
"  delay=TIME jitter=TIME dist=uniform|normal loss=P%% burst=P%%,R%%[,H%%]\n"
"  dup=P%% reorder=P%% corrupt=P%% rate=RATE queue=FRAMES clamp=BYTES\n"
"  seed=N clear in|out    (TIME: us ms s; RATE: bit kbit mbit gbit)\n"
"  e.g. -tap tap0,delay=50ms,jitter=5ms   --port mcast:loss=1%%,in\n"
"\n"
"Signals: TERM/INT remove the socket and exit 0; USR1 logs port counters.\n",
		SW_DEFAULT_MAX_MACS, SW_DEFAULT_AGING, SW_DEFAULT_QUEUE,
		SW_DEFAULT_MAX_PORTS - 1);
}

static int opt_num(const char *opt, const char *val, uint32_t min,
		   uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(val, &end, 10);
	if (!*val || *end || errno || *val == '-' || v < min || v > max) {
		err("%s: '%s' is not a number from %u to %u", opt, val, min,
		    max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int opt_path(const char *opt, const char *val, char *out, size_t len)
{
	if (!*val || strlen(val) >= len) {
		err("%s: path '%s' is empty or longer than %zu bytes", opt,
		    val, len - 1);
		return -ENAMETOOLONG;
	}
	strcpy(out, val);
	return 0;
}

/* "--name=value" or "--name value"; single-dash spellings too. */
static const char *opt_arg(int argc, char **argv, int *i, const char *eq)
{
	if (eq)
		return eq + 1;
	if (*i + 1 >= argc) {
		err("option '%s' needs an argument", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int opt_is(const char *a, const char *name, size_t len)
{
	const char *n = a[1] == '-' ? a + 2 : a + 1;

	return strlen(name) == len && !strncmp(n, name, len);
}

/* A flag takes no value: "--daemon=no" is an error, not "--daemon". */
static int opt_flag(const char *a, const char *eq)
{
	if (!eq)
		return 0;
	err("option '%.*s' takes no value (got '%s')", (int)(eq - a), a,
	    eq + 1);
	return -EINVAL;
}

static int opt_group(struct sw_opts *o, const char *v)
{
	struct group *g = getgrnam(v);
	char *end;
	unsigned long id;

	o->group = v;
	if (g) {
		o->gid = g->gr_gid;
		return 0;
	}
	errno = 0;
	id = strtoul(v, &end, 10);
	if (*v && !*end && !errno && *v != '-' && id < (gid_t)-1) {
		o->gid = (gid_t)id;
		return 0;
	}
	err("--group: no such group '%s'", v);
	return -EINVAL;
}

static int opts_one(struct sw_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *eq = strchr(a, '='), *v;
	size_t len = eq ? (size_t)(eq - a) : strlen(a);

	len -= a[1] == '-' ? 2 : 1;
#define IS(name) opt_is(a, name, len)
#define ARG() do { if (!(v = opt_arg(argc, argv, i, eq))) return -EINVAL; } while (0)
#define FLAG() do { if (opt_flag(a, eq)) return -EINVAL; } while (0)
	if (IS("h") || IS("help")) {
		FLAG();
		usage(stdout);
		exit(0);
	} else if (IS("V") || IS("version")) {
		FLAG();
		printf("uml_switch (umlnet) " SW_VERSION "\n");
		exit(0);
	} else if (IS("unix")) {
		ARG();
		o->default_ctl = 0;
		if (opt_path(a, v, o->ctl, sizeof(o->ctl)))
			return -EINVAL;
		if (o->compat_v0 && !eq) {
			if (*i + 1 >= argc || argv[*i + 1][0] == '-') {
				err("-unix after -compat-v0 takes CONTROL DATA");
				return -EINVAL;
			}
			return opt_path(a, argv[++*i], o->data, sizeof(o->data));
		}
	} else if (IS("hub")) {
		FLAG();
		o->hub = 1;
	} else if (IS("mode")) {
		ARG();
		if (strcmp(v, "hub") && strcmp(v, "switch")) {
			err("--mode: '%s' is neither 'switch' nor 'hub'", v);
			return -EINVAL;
		}
		o->hub = !strcmp(v, "hub");
	} else if (IS("tap")) {
		ARG();
		if (o->ntaps == SW_MAX_TAPS) {
			err("at most %d -tap options", SW_MAX_TAPS);
			return -EINVAL;
		}
		o->taps[o->ntaps++] = v;
	} else if (IS("daemon")) {
		FLAG();
		o->daemonize = 1;
	} else if (IS("compat-v0")) {
		FLAG();
		o->compat_v0 = 1;
		strcpy(o->data, "/tmp/uml.data");
	} else if (IS("port")) {
		ARG();
		if (o->nspecs == SW_MAX_SPECS) {
			err("at most %d --port options", SW_MAX_SPECS);
			return -EINVAL;
		}
		o->specs[o->nspecs++] = v;
	} else if (IS("client-link")) {
		ARG();
		o->client_link = v;
	} else if (IS("bess")) {
		ARG();
		return opt_path(a, v, o->bess, sizeof(o->bess));
	} else if (IS("stream")) {
		ARG();
		return opt_path(a, v, o->stream, sizeof(o->stream));
	} else if (IS("vhost-user")) {
		ARG();
		return opt_path(a, v, o->vhost, sizeof(o->vhost));
	} else if (IS("no-offload")) {
		FLAG();
		o->no_offload = 1;
	} else if (IS("mgmt")) {
		ARG();
		o->mgmt_off = !strcmp(v, "none");
		if (o->mgmt_off) {
			o->mgmt[0] = '\0';
			return 0;
		}
		return opt_path(a, v, o->mgmt, sizeof(o->mgmt));
	} else if (IS("group")) {
		ARG();
		return opt_group(o, v);
	} else if (IS("pidfile")) {
		ARG();
		o->pidfile = v;
	} else if (IS("user")) {
		ARG();
		o->user = v;
#ifdef UMLNET_SANDBOX_TEST
	} else if (IS("sandbox-test")) {	/* hidden: see sandbox.h */
		FLAG();
		o->sandbox_test = 1;
	} else if (IS("sandbox-off")) {	/* hidden: LeakSanitizer runs */
		FLAG();
		o->sandbox_test = -1;
#endif
	} else if (IS("max-macs")) {
		ARG();
		return opt_num(a, v, 1, 1U << 22, &o->max_macs);
	} else if (IS("aging")) {
		ARG();
		return opt_num(a, v, 0, 1U << 30, &o->aging);
	} else if (IS("queue")) {
		ARG();
		return opt_num(a, v, SW_BATCH, 1U << 16, &o->qmax);
	} else if (IS("max-ports")) {
		ARG();
		if (opt_num(a, v, 1, 65534, &o->max_ports))
			return -EINVAL;
		o->max_ports++;	/* slot 0 is unused */
		o->max_ports_given = 1;
	} else if (IS("v") || IS("verbose")) {
		FLAG();
		o->verbose = 1;
	} else {
		err("unknown option '%s' (see --help)", a);
		return -EINVAL;
	}
#undef IS
#undef ARG
#undef FLAG
	return 0;
}

/**
 * opts_parse() - fill @o from the command line.
 * Return: 0, or -EINVAL after logging what was wrong.
 */
int opts_parse(struct sw_opts *o, int argc, char **argv)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->max_macs = SW_DEFAULT_MAX_MACS;
	o->aging = SW_DEFAULT_AGING;
	o->qmax = SW_DEFAULT_QUEUE;
	o->max_ports = SW_DEFAULT_MAX_PORTS;
	o->default_ctl = 1;
	o->gid = (gid_t)-1;
	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || !argv[i][1]) {
			err("unexpected argument '%s' (see --help)", argv[i]);
			return -EINVAL;
		}
		if (opts_one(o, argc, argv, &i))
			return -EINVAL;
	}
	if (o->default_ctl && proto_default_ctl(o->ctl, sizeof(o->ctl))) {
		err("default control socket path too long");
		return -EINVAL;
	}
	return 0;
}
