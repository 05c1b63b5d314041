/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ifname.h: the one rule for network interface names that come from users
 * (argv, specs, requests), shared by every program and transport.
 */
#ifndef UMLNET_IFNAME_H
#define UMLNET_IFNAME_H

#define IFNAME_SIZE	16	/* IFNAMSIZ: 15 bytes and the NUL */

/* Flags that tighten the rule. */
#define IFNAME_ALNUM	1	/* letters and digits only (uml_net, as the
				 * original uml_net required) */

/**
 * ifname_check() - is @name an interface name we accept?
 * @name:	the name
 * @flags:	IFNAME_* tightening the rule
 *
 * The rule: 1 to 15 bytes; not "." or ".."; no '/', ':' (alias syntax),
 * '%' (a creation pattern such as "tap%d"), whitespace or control
 * characters.  That is Linux's dev_valid_name() plus ':' and '%', so a
 * name is never truncated, never a pattern and never a path.
 *
 * Return: NULL when acceptable, else a static string saying what is wrong
 * ("longer than 15 bytes", ...), for the caller's message.
 */
const char *ifname_check(const char *name, unsigned int flags);

#endif /* UMLNET_IFNAME_H */
