// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_slirp_sandbox.c: common/sandbox.c, the sandbox uml_slirp enters, in
 * child processes: what SANDBOX_ALLOW and SANDBOX_ALLOW_ARG list (here,
 * for this program) works; another call dies of SIGSYS with the one-line
 * diagnostic; an argument outside its rule, an executable mapping and an
 * x32 call die too; the process is unprivileged, without capabilities,
 * with no_new_privs and in filter mode; the new root holds only the paths
 * asked for; stray fds are closed; bad users are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "sandbox.h"
#include "test.h"

/* what the children below need once inside (beside the code, as in any
 * program) */
SANDBOX_ALLOW(SYS_getpid, SYS_getresuid, SYS_capget, SYS_close,
	      SYS_getdents64, SYS_fstat, SYS_newfstatat);
SANDBOX_ALLOW_ARG(SYS_ioctl, 1, ~0u, FIONREAD);
SANDBOX_ALLOW_ARG(SYS_prctl, 0, ~0u, PR_GET_NO_NEW_PRIVS);
SANDBOX_ALLOW_ARG(SYS_prctl, 0, ~0u, PR_GET_SECCOMP);
SANDBOX_ALLOW_ARG(SYS_openat, 2, O_ACCMODE | O_CREAT, O_RDONLY);

#ifdef __SANITIZE_ADDRESS__
/* make asan: the sanitizer runtime's own calls on the way out */
SANDBOX_ALLOW(SYS_sigaltstack);
#endif

enum { DO_CHECKS, DO_FORBIDDEN, DO_BAD_ARG, DO_EXEC_MAP, DO_X32 };

static const struct sandbox_path test_paths[] = {
	{ "/etc", 0 }, { NULL, 0 },
};

/* In the sandbox: each failed check exits with its own number. */
static int child_checks(unsigned int flags)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	uid_t r, e, s;
	char buf[256];
	int fd, n, v = -1;

	if (getpid() <= 0)
		return 10;
	if (getresuid(&r, &e, &s) || !r || !e || !s)
		return 11;
	if (syscall(SYS_capget, &h, d) || d[0].effective | d[0].permitted |
	    d[1].effective | d[1].permitted)
		return 12;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 ||
	    prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
		return 13;
	if (ioctl(0, FIONREAD, &v) && errno != ENOTTY && errno != EINVAL)
		return 14;
	/* a file opens for reading, not for writing */
	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 15;
	close(fd);
	/* the root: /etc only, when there is a new one */
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 16;
	n = (int)syscall(SYS_getdents64, fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return 17;
	if (!(flags & SANDBOX_KEEP_FS) && (!memmem(buf, (size_t)n, "etc", 4) ||
					   memmem(buf, (size_t)n, "usr", 4)))
		return 18;
	return 0;
}

/* Fork; the child enters the sandbox and does @what, its stderr into
 * @errbuf.  Return: the wait status. */
static int run_child(int what, unsigned int flags, char *errbuf, size_t len)
{
	struct sandbox_cfg c = { .prog = "test_slirp_sandbox",
				 .paths = test_paths, .flags = flags };
	char err[256];
	int p[2], status = -1;
	ssize_t n;
	pid_t pid;

	errbuf[0] = '\0';
	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		dup2(p[1], 2);
		close(p[0]);
		setrlimit(RLIMIT_CORE, &no_core);	/* SIGSYS dumps core */
		if (sandbox_user(&c, NULL, err, sizeof(err)) ||
		    sandbox_enter(&c, err, sizeof(err))) {
			dprintf(2, "sandbox: %s\n", err);
			_exit(99);
		}
		switch (what) {
		case DO_CHECKS:
			_exit(child_checks(flags));
		case DO_FORBIDDEN:
			syscall(SYS_getppid);
			break;
		case DO_BAD_ARG: {
			struct termios t;

			ioctl(0, TCGETS, &t);
			break;
		}
		case DO_EXEC_MAP:
			mmap(NULL, 4096, PROT_READ | PROT_EXEC,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			break;
		case DO_X32:
			syscall(0x40000000 | SYS_getpid);
			break;
		}
		_exit(98);		/* still alive: the filter let it pass */
	}
	close(p[1]);
	n = read(p[0], errbuf, len - 1);
	errbuf[n > 0 ? n : 0] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	return status;
}

static int died_of_sigsys(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
}

static void test_filter(unsigned int flags)
{
	char out[512];
	int st;

	st = run_child(DO_CHECKS, flags, out, sizeof(out));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fprintf(stderr, "flags %#x: checks: status %#x, %s\n", flags,
			st, out);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	st = run_child(DO_FORBIDDEN, flags, out, sizeof(out));
	CHECK(died_of_sigsys(st));
	CHECK(!strcmp(out, "test_slirp_sandbox: seccomp: forbidden system "
		      "call 110 (getppid)\n"));

	st = run_child(DO_BAD_ARG, flags, out, sizeof(out));
	CHECK(died_of_sigsys(st) && strstr(out, "call 16 (ioctl)"));

	st = run_child(DO_EXEC_MAP, flags, out, sizeof(out));
	CHECK(died_of_sigsys(st) && strstr(out, "(mmap)"));

	/* x32: killed outright, nothing said */
	st = run_child(DO_X32, flags, out, sizeof(out));
	CHECK(died_of_sigsys(st) && !out[0]);
}

static void test_close_fds(void)
{
	int a = open("/dev/null", O_RDONLY), b = dup(a), c = dup(a);
	int keep[] = { 1, b, b };

	CHECK(a >= 3 && b > a && c > b);
	CHECK(sandbox_close_fds(keep, 3) == 0);
	CHECK(fcntl(a, F_GETFD) < 0 && errno == EBADF);
	CHECK(fcntl(b, F_GETFD) >= 0);
	CHECK(fcntl(c, F_GETFD) < 0 && errno == EBADF);
	CHECK(fcntl(1, F_GETFD) >= 0 && fcntl(2, F_GETFD) >= 0);
	close(b);
}

static void test_users(void)
{
	struct sandbox_cfg c = { 0 };
	char err[256] = "";

	CHECK(sandbox_user(&c, "no-such-user-umlnet", err, sizeof(err)) ==
	      -ENOENT && strstr(err, "no-such-user-umlnet"));
	if (geteuid() == 0) {
		CHECK(sandbox_user(&c, "root", err, sizeof(err)) == -EPERM &&
		      strstr(err, "root"));
		CHECK(sandbox_user(&c, NULL, err, sizeof(err)) == 0 &&
		      c.drop && c.uid != 0);
	} else {
		CHECK(sandbox_user(&c, "root", err, sizeof(err)) == -EPERM);
		CHECK(sandbox_user(&c, NULL, err, sizeof(err)) == 0 && !c.drop);
	}
}

int main(void)
{
	test_close_fds();
	test_users();
	test_filter(0);				/* namespaces where possible */
	test_filter(SANDBOX_NO_USERNS | SANDBOX_KEEP_FS);
	TEST_DONE("test_slirp_sandbox");
}
