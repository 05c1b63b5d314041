// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * policy.c: uml_net's policy file (see uml_net.conf(5)).
 *
 * One rule per line:
 *   allow|deny  user NAME|UID  |  group NAME|GID  |  all
 *               [devices N] [gateway CIDR[,CIDR...]] [guest CIDR[,CIDR...]]
 * A rule applies to the caller when its subject matches.  Deny by default:
 * a request is allowed only if an applying allow rule covers it, and an
 * applying deny rule covering it (or with no address lists at all) wins.
 * Real uid 0 (who can do all this by hand) is the exception: allowed what
 * no applying deny rule refuses, without a device limit.
 * Any error in the file refuses everything (fail closed).  User and group
 * names are resolved here, after the privilege drop, as the caller: a
 * lookup that fails (whatever the reason) is an error in the file, so it
 * can only refuse more, never less.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uml_net.h"

#define POL_MAX_RULES	256
#define POL_MAX_NETS	16
#define POL_MAX_SIZE	65536

struct pol_net {
	struct unet_addr addr;
	int plen;
};

struct pol_rule {
	int allow;
	enum { SUBJ_ALL, SUBJ_USER, SUBJ_GROUP } subj;
	unsigned long id;	/* uid or gid */
	int devices;		/* -1: not given */
	int nnets[2];		/* [POL_GATEWAY], [POL_GUEST]; -1: not given */
	struct pol_net nets[2][POL_MAX_NETS];
};

struct policy {
	int nrules;
	struct pol_rule rules[POL_MAX_RULES];
};

/**
 * addr_parse() - parse a dotted quad or an IPv6 address, nothing else.
 * @s:		text
 * @out:	result
 *
 * Return: 0, or -EINVAL.
 */
int addr_parse(const char *s, struct unet_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (strnlen(s, INET6_ADDRSTRLEN) >= INET6_ADDRSTRLEN)
		return -EINVAL;
	if (inet_pton(AF_INET, s, out->a) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->a) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

/**
 * addr_not_unicast() - why @a cannot be a host's address, if it cannot:
 * unspecified, loopback, multicast, IPv4 "this network" (0/8), reserved
 * (240/4) and limited broadcast.
 * @a:		address
 *
 * Return: NULL if it can be, else the reason ("a multicast address").
 */
const char *addr_not_unicast(const struct unet_addr *a)
{
	static const unsigned char zero[16];

	if (a->family == AF_INET) {
		if (a->a[0] == 0)
			return "in 0.0.0.0/8 (this network)";
		if (a->a[0] == 127)
			return "a loopback address";
		if (a->a[0] >= 224 && a->a[0] < 240)
			return "a multicast address";
		if (a->a[0] >= 240)
			return "a reserved or the broadcast address";
		return NULL;
	}
	if (!memcmp(a->a, zero, 16))
		return "the unspecified address";
	if (!memcmp(a->a, zero, 15) && a->a[15] == 1)
		return "the loopback address";
	if (a->a[0] == 0xff)
		return "a multicast address";
	return NULL;
}

/* Are the bits of @a past @plen all @bit (0 or 1)? */
static int addr_host_bits_all(const struct unet_addr *a, int plen, int bit)
{
	int full = a->family == AF_INET ? 32 : 128, i;

	for (i = plen; i < full; i++)
		if (((a->a[i / 8] >> (7 - i % 8)) & 1) != bit)
			return 0;
	return 1;
}

/**
 * addr_not_host() - why @a cannot be a host on its subnet @a/@plen, if it
 * cannot: the network or broadcast address of an IPv4 subnet (not of a
 * /31 or /32, RFC 3021), the subnet-router anycast address of an IPv6
 * prefix (shorter than /127).
 * @a:		address
 * @plen:	the prefix length of its subnet
 *
 * Return: NULL if it can be, else the reason.
 */
const char *addr_not_host(const struct unet_addr *a, int plen)
{
	int full = a->family == AF_INET ? 32 : 128;

	if (plen < 0 || plen >= full - 1)
		return NULL;
	if (addr_host_bits_all(a, plen, 0))
		return a->family == AF_INET ? "the network address of its "
		       "subnet" : "the subnet-router anycast address of its "
		       "prefix";
	if (a->family == AF_INET && addr_host_bits_all(a, plen, 1))
		return "the broadcast address of its subnet";
	return NULL;
}

/**
 * addr_in_prefix() - is @a inside @net/@plen (same family)?
 * @a:		address
 * @net:	network
 * @plen:	prefix length
 *
 * Return: 1 or 0.
 */
int addr_in_prefix(const struct unet_addr *a, const struct unet_addr *net,
		   int plen)
{
	int i, bits;

	if (a->family != net->family)
		return 0;
	for (i = 0; plen > 0; i++, plen -= 8) {
		bits = plen >= 8 ? 8 : plen;
		if ((a->a[i] ^ net->a[i]) & (0xff00 >> bits))
			return 0;
	}
	return 1;
}

/**
 * addr_str() - format an address.
 * @a:		address
 * @buf:	output
 * @len:	its size (INET6_ADDRSTRLEN is enough)
 *
 * Return: @buf.
 */
const char *addr_str(const struct unet_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static int parse_cidr(char *s, struct pol_net *n)
{
	char *slash = strchr(s, '/'), *end;
	long plen;
	int max;

	if (slash)
		*slash = '\0';
	if (addr_parse(s, &n->addr) < 0)
		return -EINVAL;
	max = n->addr.family == AF_INET ? 32 : 128;
	n->plen = max;
	if (slash) {
		errno = 0;
		plen = strtol(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || plen < 0 || plen > max)
			return -EINVAL;
		n->plen = (int)plen;
	}
	return 0;
}

static int parse_nets(char *list, struct pol_rule *r, int what)
{
	char *save = NULL, *tok;

	if (r->nnets[what] >= 0)
		return -EEXIST;
	r->nnets[what] = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (r->nnets[what] >= POL_MAX_NETS ||
		    parse_cidr(tok, &r->nets[what][r->nnets[what]]) < 0)
			return -EINVAL;
		r->nnets[what]++;
	}
	return r->nnets[what] ? 0 : -EINVAL;
}

/* A lookup that failed for want of resources (the caller controls the
 * rlimits) is no answer at all: not "no such name". */
static int lookup_failed(void)
{
	return errno == EMFILE || errno == ENFILE || errno == EIO ||
	       errno == ENOMEM || errno == EAGAIN || errno == EINTR ||
	       errno == ERANGE;
}

static int parse_id(const char *s, int group, unsigned long *id)
{
	char *end;

	errno = 0;
	if (group) {
		struct group *g = getgrnam(s);

		if (g) {
			*id = g->gr_gid;
			return 0;
		}
	} else {
		struct passwd *p = getpwnam(s);

		if (p) {
			*id = p->pw_uid;
			return 0;
		}
	}
	if (lookup_failed())
		return -ENOENT;
	errno = 0;
	*id = strtoul(s, &end, 10);
	return (errno || end == s || *end || s[0] == '-') ? -ENOENT : 0;
}

/* Parse one line into @r; returns 0, 1 for a blank line, or -errno. */
static int parse_line(char *line, struct pol_rule *r, const char **bad)
{
	char *save = NULL, *w, *v;

	memset(r, 0, sizeof(*r));
	r->devices = -1;
	r->nnets[0] = r->nnets[1] = -1;
	w = strtok_r(line, " \t\r\n", &save);
	if (!w || w[0] == '#')
		return 1;
	*bad = w;
	if (!strcmp(w, "allow"))
		r->allow = 1;
	else if (strcmp(w, "deny"))
		return -EINVAL;
	w = strtok_r(NULL, " \t\r\n", &save);
	if (!w)
		return -EINVAL;
	*bad = w;
	if (!strcmp(w, "all")) {
		r->subj = SUBJ_ALL;
	} else if (!strcmp(w, "user") || !strcmp(w, "group")) {
		r->subj = w[0] == 'u' ? SUBJ_USER : SUBJ_GROUP;
		v = strtok_r(NULL, " \t\r\n", &save);
		if (!v)
			return -EINVAL;
		*bad = v;
		if (parse_id(v, r->subj == SUBJ_GROUP, &r->id) < 0)
			return -ENOENT;
	} else {
		return -EINVAL;
	}
	while ((w = strtok_r(NULL, " \t\r\n", &save))) {
		char *end;

		*bad = w;
		if (w[0] == '#')
			break;
		v = strtok_r(NULL, " \t\r\n", &save);
		if (!v)
			return -EINVAL;
		if (!strcmp(w, "devices") && r->devices < 0) {
			errno = 0;
			r->devices = (int)strtol(v, &end, 10);
			if (errno || end == v || *end || r->devices < 0 ||
			    r->devices > 1000)
				return -EINVAL;
		} else if (!strcmp(w, "gateway")) {
			if (parse_nets(v, r, POL_GATEWAY) < 0)
				return -EINVAL;
		} else if (!strcmp(w, "guest")) {
			if (parse_nets(v, r, POL_GUEST) < 0)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * policy_load() - read and parse the policy from an open file.
 * @fd:		the file (closed here)
 * @path:	its name, for messages
 * @err:	on failure, what is wrong (file and line)
 * @len:	size of @err
 *
 * Return: the policy, or NULL (the caller then refuses everything).
 */
struct policy *policy_load(int fd, const char *path, char *err, size_t len)
{
	struct policy *pol = calloc(1, sizeof(*pol));
	char *buf = malloc(POL_MAX_SIZE + 1), *line, *save = NULL;
	ssize_t n, total = 0;
	int lineno = 0, ret;

	snprintf(err, len, "%s: out of memory", path);
	if (!pol || !buf)
		goto fail;
	while ((n = read(fd, buf + total, (size_t)(POL_MAX_SIZE + 1 - total))) > 0)
		total += n;
	if (n < 0 || total > POL_MAX_SIZE || memchr(buf, '\0', (size_t)total)) {
		snprintf(err, len, "%s: unreadable, too big or binary", path);
		goto fail;
	}
	buf[total] = '\0';
	for (line = buf; line; line = save) {
		const char *bad = "";
		char copy[1024];

		lineno++;
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		snprintf(copy, sizeof(copy), "%s", line);
		if (pol->nrules >= POL_MAX_RULES) {
			snprintf(err, len, "%s:%d: too many rules", path,
				 lineno);
			goto fail;
		}
		ret = parse_line(line, &pol->rules[pol->nrules], &bad);
		if (ret < 0) {
			snprintf(err, len, "%s:%d: %s '%.64s'", path, lineno,
				 ret == -ENOENT ? "unknown user or group (or "
				 "its lookup failed)" : "syntax error at", bad);
			goto fail;
		}
		if (ret == 0)
			pol->nrules++;
	}
	free(buf);
	close(fd);
	return pol;
fail:
	free(buf);
	free(pol);
	close(fd);
	return NULL;
}

/**
 * policy_free() - free a policy.
 * @pol:	policy or NULL
 */
void policy_free(struct policy *pol)
{
	free(pol);
}

static int rule_applies(const struct pol_rule *r, const struct unet_ctx *ctx)
{
	int i;

	switch (r->subj) {
	case SUBJ_ALL:
		return 1;
	case SUBJ_USER:
		return r->id == ctx->uid;
	case SUBJ_GROUP:
		for (i = 0; i < ctx->ngroups; i++)
			if (r->id == ctx->groups[i])
				return 1;
	}
	return 0;
}

static int rule_covers(const struct pol_rule *r, enum pol_what what,
		       const struct unet_addr *a)
{
	int i;

	for (i = 0; i < r->nnets[what]; i++)
		if (addr_in_prefix(a, &r->nets[what][i].addr,
				   r->nets[what][i].plen))
			return 1;
	return 0;
}

static int rule_denies(const struct pol_rule *r, enum pol_what what,
		       const struct unet_addr *a)
{
	if (r->nnets[POL_GATEWAY] < 0 && r->nnets[POL_GUEST] < 0)
		return 1;
	return rule_covers(r, what, a);
}

/**
 * policy_check_addr() - may the caller use @addr as a gateway or guest
 * address?
 * @ctx:	the caller (ctx->pol NULL: nothing is allowed)
 * @what:	POL_GATEWAY or POL_GUEST
 * @addr:	the address
 * @why:	on refusal, the reason
 * @len:	size of @why
 *
 * Return: 1 if allowed, 0 if not.
 */
int policy_check_addr(const struct unet_ctx *ctx, enum pol_what what,
		      const struct unet_addr *addr, char *why, size_t len)
{
	const char *kind = what == POL_GATEWAY ? "gateway" : "guest";
	int i, allowed = 0, applies = 0;
	char a[INET6_ADDRSTRLEN];

	addr_str(addr, a, sizeof(a));
	if (!ctx->pol && ctx->uid == 0 && ctx->no_policy)
		return 1;
	if (!ctx->pol) {
		snprintf(why, len, "no valid policy (deny by default)");
		return 0;
	}
	for (i = 0; i < ctx->pol->nrules; i++) {
		const struct pol_rule *r = &ctx->pol->rules[i];

		if (!rule_applies(r, ctx))
			continue;
		applies = 1;
		if (!r->allow && rule_denies(r, what, addr)) {
			snprintf(why, len, "%s address %s denied by the policy",
				 kind, a);
			return 0;
		}
		if (r->allow && rule_covers(r, what, addr))
			allowed = 1;
	}
	if (ctx->uid == 0)
		return 1;	/* root: what no deny rule refuses */
	if (!applies)
		snprintf(why, len, "the policy allows nothing to this user");
	else if (!allowed)
		snprintf(why, len, "%s address %s is outside the ranges the "
			 "policy allows this user", kind, a);
	return allowed;
}

/**
 * policy_max_devices() - how many devices may the caller hold at once
 * with gateway @gate (the largest "devices" of the allow rules covering it;
 * 1 when not given; no limit for real uid 0).
 * @ctx:	the caller
 * @gate:	the gateway address
 *
 * Return: the limit, 0 if none applies.
 */
int policy_max_devices(const struct unet_ctx *ctx,
		       const struct unet_addr *gate)
{
	int i, max = 0;

	if (ctx->uid == 0)
		return INT_MAX;
	if (!ctx->pol)
		return 0;
	for (i = 0; i < ctx->pol->nrules; i++) {
		const struct pol_rule *r = &ctx->pol->rules[i];
		int d = r->devices < 0 ? 1 : r->devices;

		if (r->allow && rule_applies(r, ctx) &&
		    rule_covers(r, POL_GATEWAY, gate) && d > max)
			max = d;
	}
	return max;
}
