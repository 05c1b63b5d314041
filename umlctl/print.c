// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * print.c: umlctl's tables and lines for people: the switch, its ports,
 * its MAC table, a port's counters and each event.  Fields a switch does
 * not send print as "-".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "umlctl.h"

static const char *print_age(uint64_t s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)s / 60,
			 (unsigned long long)s % 60);
	else
		snprintf(buf, len, "%lluh%02llum%02llus",
			 (unsigned long long)s / 3600,
			 (unsigned long long)s / 60 % 60,
			 (unsigned long long)s % 60);
	return buf;
}

/**
 * print_show() - the reply to "show" (@j), for people.
 */
void print_show(const struct json *j)
{
	int t = uc_get(j, 0, "switch");
	char a[128], b[128], c[32], d[32];

	printf("uml_switch %s, pid %s: a %s, up %s\n",
	       uc_str(j, t, "version", a, sizeof(a)),
	       uc_str(j, t, "pid", b, sizeof(b)),
	       uc_str(j, t, "mode", c, sizeof(c)),
	       print_age(uc_num(j, t, "uptime"), d, sizeof(d)));
	printf("  control socket  %s\n", uc_str(j, t, "ctl", a, sizeof(a)));
	printf("  management      %s\n", uc_str(j, t, "mgmt", a, sizeof(a)));
	printf("  ports           %llu of %llu (queues of %llu frames)\n",
	       (unsigned long long)uc_num(j, t, "ports"),
	       (unsigned long long)uc_num(j, t, "max_ports"),
	       (unsigned long long)uc_num(j, t, "queue"));
	printf("  MAC table       %llu of %llu (aging %llu s; full %llu "
	       "times)\n", (unsigned long long)uc_num(j, t, "fdb.count"),
	       (unsigned long long)uc_num(j, t, "fdb.max"),
	       (unsigned long long)uc_num(j, t, "fdb.aging"),
	       (unsigned long long)uc_num(j, t, "fdb.full"));
	printf("  frames          rx %llu (%llu bytes), tx %llu (%llu bytes), "
	       "dropped %llu\n",
	       (unsigned long long)uc_num(j, t, "totals.rx"),
	       (unsigned long long)uc_num(j, t, "totals.rx_bytes"),
	       (unsigned long long)uc_num(j, t, "totals.tx"),
	       (unsigned long long)uc_num(j, t, "totals.tx_bytes"),
	       (unsigned long long)uc_num(j, t, "totals.drops"));
	printf("  clients         %llu management (%llu following events, "
	       "%llu capturing), %llu dump ports\n",
	       (unsigned long long)uc_num(j, t, "mgmt_clients"),
	       (unsigned long long)uc_num(j, t, "events"),
	       (unsigned long long)uc_num(j, t, "captures"),
	       (unsigned long long)uc_num(j, t, "dump_ports"));
}

/** print_ports_head() - the heading of the ports table. */
void print_ports_head(void)
{
	printf("%4s %-15s %-9s %-11s %-8s %12s %12s %8s %9s %4s  %s\n",
	       "PORT", "NAME", "KIND", "STATE", "VLAN", "RX", "TX", "DROPS",
	       "QUEUE", "MACS", "PEER");
}

/* A port's VLANs (its "vlan" member, under @t): "10", or "trunk 10,20
 * native 1"; "-" from a switch without VLANs. */
static const char *print_vlan(const struct json *j, int t, char *buf,
			      size_t len)
{
	char mode[16], vids[256];
	int n;

	t = uc_get(j, t, "vlan");
	if (t < 0 || j->tok[t].type != JSON_OBJECT)
		return "-";
	if (strcmp(uc_str(j, t, "mode", mode, sizeof(mode)), "trunk"))
		return uc_str(j, t, "pvid", buf, len);
	snprintf(buf, len, "trunk %s", uc_str(j, t, "vids", vids,
					       sizeof(vids)));
	n = uc_get(j, t, "native");
	if (n >= 0 && j->tok[n].type == JSON_NUMBER)
		snprintf(buf + strlen(buf), len - strlen(buf), " native %llu",
			 (unsigned long long)uc_num(j, t, "native"));
	return buf;
}

static int print_true(const struct json *j, int t, const char *path)
{
	t = uc_get(j, t, path);
	return t >= 0 && j->tok[t].type == JSON_BOOL && j->tok[t].boolean;
}

/**
 * print_port() - port object token @t of @j as a row of the ports table.
 */
void print_port(const struct json *j, int t)
{
	char name[64], kind[32], state[64], q[32], peer[512], id[64];
	char vlan[300];

	if (t < 0)
		return;
	snprintf(state, sizeof(state), "%s%s%s%s",
		 uc_str(j, t, "carrier", q, sizeof(q)),
		 print_true(j, t, "dump") ? ",dump" : "",
		 print_true(j, t, "stalled") ? ",stalled" : "",
		 print_true(j, t, "slow") ? ",slow" : "");
	snprintf(q, sizeof(q), "%llu/%llu",
		 (unsigned long long)uc_num(j, t, "queue.len"),
		 (unsigned long long)uc_num(j, t, "queue.max"));
	id[0] = '\0';
	if (uc_get(j, t, "peer.pid") >= 0 &&
	    j->tok[uc_get(j, t, "peer.pid")].type == JSON_NUMBER)
		snprintf(id, sizeof(id), " (pid %llu uid %llu)",
			 (unsigned long long)uc_num(j, t, "peer.pid"),
			 (unsigned long long)uc_num(j, t, "peer.uid"));
	printf("%4llu %-15s %-9s %-11s %-8s %12llu %12llu %8llu %9s %4llu  "
	       "%s%s\n", (unsigned long long)uc_num(j, t, "index"),
	       uc_str(j, t, "name", name, sizeof(name)),
	       uc_str(j, t, "kind", kind, sizeof(kind)), state,
	       print_vlan(j, t, vlan, sizeof(vlan)),
	       (unsigned long long)uc_num(j, t, "counters.rx"),
	       (unsigned long long)uc_num(j, t, "counters.tx"),
	       (unsigned long long)uc_num(j, t, "counters.drops.total"), q,
	       (unsigned long long)uc_num(j, t, "macs_total"),
	       uc_str(j, t, "peer.desc", peer, sizeof(peer)), id);
	print_impair(j, t);
	if (uc_get(j, t, "redial") >= 0)
		printf("%4s redial every %llu s: %s, %llu outages, %llu "
		       "redials\n", "",
		       (unsigned long long)uc_num(j, t, "redial.every"),
		       print_true(j, t, "redial.connected") ? "connected" :
		       "not connected",
		       (unsigned long long)uc_num(j, t, "redial.outages"),
		       (unsigned long long)uc_num(j, t, "redial.redials"));
}

/** print_fdb_head() - the heading of the MAC table. */
void print_fdb_head(void)
{
	printf("%-17s %4s %4s %-15s %s\n", "MAC", "VLAN", "PORT", "NAME",
	       "AGE");
}

/**
 * print_fdb_entry() - table entry token @t of @j as a row.
 */
void print_fdb_entry(const struct json *j, int t)
{
	char mac[32], name[64], age[32], vlan[16];
	uint64_t v = uc_num(j, t, "vlan");

	snprintf(vlan, sizeof(vlan), "%llu", (unsigned long long)v);
	printf("%-17s %4s %4llu %-15s %s\n", uc_str(j, t, "mac", mac,
	       sizeof(mac)), v ? vlan : "-",
	       (unsigned long long)uc_num(j, t, "port"),
	       uc_str(j, t, "name", name, sizeof(name)),
	       print_age(uc_num(j, t, "age"), age, sizeof(age)));
}

/**
 * print_port_counters() - counters object token @t of @j on one line,
 * after @what; the drop causes that are not zero are named.
 */
void print_port_counters(const struct json *j, int t, const char *what)
{
	static const char *const causes[] = {
		"full", "size", "err", "nobuf", "refused", "carrier",
		"ignored", "vlan", "bad", NULL
	};
	int n;

	printf("%srx %llu (%llu bytes), tx %llu (%llu bytes), dropped %llu",
	       what, (unsigned long long)uc_num(j, t, "rx"),
	       (unsigned long long)uc_num(j, t, "rx_bytes"),
	       (unsigned long long)uc_num(j, t, "tx"),
	       (unsigned long long)uc_num(j, t, "tx_bytes"),
	       (unsigned long long)uc_num(j, t, "drops.total"));
	n = print_nonzero(j, t, "drops.", causes, " (");
	printf("%s\n", n ? ")" : "");
}

/**
 * print_nonzero() - of the numbers @prefix NAME under @t (NAME each of
 * @names), those that are not zero as "NAME N", the first after @open,
 * the others after ", ".  Return: how many.
 */
int print_nonzero(const struct json *j, int t, const char *prefix,
		  const char *const *names, const char *open)
{
	char path[64];
	uint64_t v;
	int n = 0;

	for (; *names; names++) {
		snprintf(path, sizeof(path), "%s%s", prefix, *names);
		v = uc_num(j, t, path);
		if (v)
			printf("%s%s %llu", n++ ? ", " : open, *names,
			       (unsigned long long)v);
	}
	return n;
}

/* "port 3 (name)" of an event. */
static const char *print_ref(const struct json *j, char *buf, size_t len)
{
	char idx[32], name[64];

	if (uc_get(j, 0, "port") < 0 ||
	    j->tok[uc_get(j, 0, "port")].type != JSON_NUMBER)
		return "every port";
	snprintf(buf, len, "port %s (%s)", uc_str(j, 0, "port", idx,
		 sizeof(idx)), uc_str(j, 0, "name", name, sizeof(name)));
	return buf;
}

static void print_time(const struct json *j)
{
	char t[64], out[32];
	time_t sec;
	struct tm tm;
	const char *dot;

	uc_str(j, 0, "time", t, sizeof(t));
	sec = (time_t)strtoll(t, NULL, 10);
	dot = strchr(t, '.');
	if (!localtime_r(&sec, &tm) || !strftime(out, sizeof(out), "%H:%M:%S",
						 &tm)) {
		printf("%-12s ", "-");
		return;
	}
	printf("%s.%.3s ", out, dot ? dot + 1 : "000");
}

/**
 * print_event() - the event in @j as one line: its time, its name, what
 * it says.
 */
void print_event(const struct json *j)
{
	char ev[32], a[512], b[128], c[64];
	int t;

	uc_str(j, 0, "event", ev, sizeof(ev));
	print_time(j);
	printf("%-11s ", ev);
	if (!strcmp(ev, "port_up")) {
		t = uc_get(j, 0, "port");
		printf("port %llu (%s) %s: %s\n",
		       (unsigned long long)uc_num(j, t, "index"),
		       uc_str(j, t, "name", b, sizeof(b)),
		       uc_str(j, t, "kind", c, sizeof(c)),
		       uc_str(j, t, "peer.desc", a, sizeof(a)));
	} else if (!strcmp(ev, "port_down")) {
		printf("%s: %s; ", print_ref(j, b, sizeof(b)),
		       uc_str(j, 0, "why", a, sizeof(a)));
		print_port_counters(j, uc_get(j, 0, "counters"), "");
	} else if (!strncmp(ev, "mac_", 4) || !strcmp(ev, "fdb_full")) {
		printf("%s vlan %llu on %s", uc_str(j, 0, "mac", c, sizeof(c)),
		       (unsigned long long)uc_num(j, 0, "vlan"),
		       print_ref(j, b, sizeof(b)));
		if (uc_get(j, 0, "from") >= 0)
			printf(", from port %llu",
			       (unsigned long long)uc_num(j, 0, "from"));
		if (!strcmp(ev, "fdb_full"))
			printf(": not learned, the table of %llu is full "
			       "(%llu times)", (unsigned long long)uc_num(j, 0,
			       "max"), (unsigned long long)uc_num(j, 0, "count"));
		putchar('\n');
	} else if (!strcmp(ev, "stall") || !strcmp(ev, "unstall") ||
		   !strcmp(ev, "carrier")) {
		printf("%s, carrier %s\n", print_ref(j, b, sizeof(b)),
		       uc_str(j, 0, "carrier", c, sizeof(c)));
	} else if (!strcmp(ev, "mode")) {
		printf("now a %s\n", uc_str(j, 0, "mode", c, sizeof(c)));
	} else if (!strcmp(ev, "fdb_flush")) {
		printf("%s: %llu entries forgotten\n", print_ref(j, b,
		       sizeof(b)), (unsigned long long)uc_num(j, 0, "count"));
	} else if (!strcmp(ev, "lost")) {
		printf("%llu events lost (this reader fell behind)\n",
		       (unsigned long long)uc_num(j, 0, "count"));
	} else if (!strcmp(ev, "end")) {
		printf("%s; %llu events lost\n", uc_str(j, 0, "why", a,
		       sizeof(a)), (unsigned long long)uc_num(j, 0, "lost"));
	} else {
		printf("%.*s\n", (int)j->len, j->src);
	}
}
