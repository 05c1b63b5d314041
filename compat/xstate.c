// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xstate.c: uml-xstate.so, an LD_PRELOAD library that lets a Linux 6.1
 * UML kernel (Debian's linux.uml, and ours, built from the same source)
 * run on a host whose XSAVE area is larger than the kernel's buffer for
 * it: CPUs with AVX-512 or AMX.
 *
 * Such a UML kernel saves and restores each of its processes' FPU state
 * with PTRACE_GETREGSET / PTRACE_SETREGSET of NT_X86_XSTATE, through a
 * buffer of a fixed size made for AVX (832 bytes).  A host kernel hands
 * out the first part of a larger state to a short buffer, but takes
 * SETREGSET only with the whole state (anything else is EFAULT), so the
 * guest's init dies on its first system call ("ptrace set fp regs
 * failed, errno = 14").  Here ptrace() is wrapped: a GETREGSET of the
 * XSAVE state fetches the whole state into a slot kept for the caller's
 * buffer (each UML task has its own), and a SETREGSET lays the caller's
 * bytes over that slot and sets the whole of it.  The components beyond
 * the kernel's buffer (AVX-512's upper registers, AMX tiles) thus come
 * back as the same task last left them.  Every other request goes to the
 * system call as glibc's ptrace() would make it.  Nothing else changes.
 *
 * Used by uml-lab and the tests for every UML kernel they boot (see
 * README.md); harmless where the host's state fits.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define XS_MAX		(64 * 1024)	/* the largest state we keep */
#define XS_SLOTS	64		/* tasks whose state is kept */

struct xs_slot {
	const void *base;	/* the caller's buffer it belongs to */
	pid_t pid;
	size_t len;		/* of state[] */
	uint8_t state[XS_MAX] __attribute__((aligned(64)));
};

static struct xs_slot xs_slot[XS_SLOTS];
static uint8_t xs_scratch[XS_MAX] __attribute__((aligned(64)));
static size_t xs_host;	/* the host's state size, once seen (0: not yet) */

long ptrace(enum __ptrace_request req, ...);

static long sys_ptrace(long req, pid_t pid, void *addr, void *data)
{
	return syscall(SYS_ptrace, req, pid, addr, data);
}

static struct xs_slot *xs_find(const void *base)
{
	uintptr_t a = (uintptr_t)base;

	return &xs_slot[(a >> 6 ^ a >> 14) % XS_SLOTS];
}

/* The whole state of @pid into @buf.  Return: its length, or 0. */
static size_t xs_get(pid_t pid, uint8_t *buf)
{
	struct iovec iov = { buf, XS_MAX };

	if (sys_ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &iov))
		return 0;
	xs_host = iov.iov_len;
	return iov.iov_len;
}

/* Does a state of @len bytes hold the host's whole state?  Then every
 * request goes straight to the system call: no work, no extra call. */
static int xs_fits(size_t len)
{
	return xs_host && xs_host <= len;
}

static long xs_getregset(pid_t pid, struct iovec *iov)
{
	struct xs_slot *s = xs_find(iov->iov_base);
	size_t n;

	if (xs_fits(iov->iov_len))
		return sys_ptrace(PTRACE_GETREGSET, pid,
				  (void *)NT_X86_XSTATE, iov);
	n = xs_get(pid, s->state);
	if (!n || n <= iov->iov_len) {	/* it fits: as it was */
		s->base = NULL;
		return sys_ptrace(PTRACE_GETREGSET, pid,
				  (void *)NT_X86_XSTATE, iov);
	}
	s->base = iov->iov_base;
	s->pid = pid;
	s->len = n;
	memcpy(iov->iov_base, s->state, iov->iov_len);
	return 0;
}

static long xs_setregset(pid_t pid, struct iovec *iov)
{
	struct xs_slot *s = xs_find(iov->iov_base);
	struct iovec whole;
	uint8_t *st = s->state;
	size_t n = s->len;

	if (xs_fits(iov->iov_len))
		return sys_ptrace(PTRACE_SETREGSET, pid,
				  (void *)NT_X86_XSTATE, iov);
	if (s->base != iov->iov_base || s->pid != pid) {
		/* not the task we saved there: the rest as the process
		 * holds it now */
		st = xs_scratch;
		n = xs_get(pid, st);
	}
	if (!n || n <= iov->iov_len)
		return sys_ptrace(PTRACE_SETREGSET, pid,
				  (void *)NT_X86_XSTATE, iov);
	memcpy(st, iov->iov_base, iov->iov_len);
	whole.iov_base = st;
	whole.iov_len = n;
	return sys_ptrace(PTRACE_SETREGSET, pid, (void *)NT_X86_XSTATE,
			  &whole);
}

/* glibc's ptrace(): PEEK requests return the word read (errno 0). */
long ptrace(enum __ptrace_request req, ...)
{
	pid_t pid;
	void *addr, *data;
	va_list ap;
	long ret, word;

	va_start(ap, req);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);
	if ((req == PTRACE_GETREGSET || req == PTRACE_SETREGSET) &&
	    (uintptr_t)addr == NT_X86_XSTATE && data &&
	    ((struct iovec *)data)->iov_len < XS_MAX)
		return req == PTRACE_GETREGSET ?
		       xs_getregset(pid, data) : xs_setregset(pid, data);
	if (req == PTRACE_PEEKTEXT || req == PTRACE_PEEKDATA ||
	    req == PTRACE_PEEKUSER) {
		ret = sys_ptrace(req, pid, addr, &word);
		if (ret < 0)
			return ret;
		errno = 0;
		return word;
	}
	return sys_ptrace(req, pid, addr, data);
}
