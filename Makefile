# SPDX-License-Identifier: GPL-2.0-or-later
# umlnet: one non-recursive Makefile.
#   make            build every program into build/
#   make check      install what is missing, build, run every test
#   make kernel     our UML kernel, build/linux (scripts/build-kernel)
#   make demo       two stock UML guests ping through uml_switch
#   make bench      our switch side by side with uml_switch and vde_switch
#   make fuzz       run each fuzzer for FUZZ_SECONDS (with tests/fuzz/NAME.dict)
#   make asan       build with ASan+UBSan into build/asan and run unit tests
#   make lint       cppcheck (C) and shellcheck (every shell script)
#   make install    install into $(DESTDIR)$(PREFIX) (default /usr/local)
#   make uninstall  remove what make install installed (same variables)
#   make deb        Debian packages into build/deb (debian/, debhelper)

CC		?= gcc
PREFIX		?= /usr/local
BUILD		?= build
SYSCONFDIR	?= /etc
FUZZ_SECONDS	?= 20
PKG_CONFIG	?= pkg-config

WARN		:= -Wall -Wextra -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wformat=2
CFLAGS		?= -O2 -g
CFLAGS		+= -std=gnu11 -D_GNU_SOURCE $(WARN) -fstack-protector-strong \
		   -D_FORTIFY_SOURCE=2 -fPIE -MMD -MP -Inet -Icommon $(EXTRA_CFLAGS)
ifeq ($(WERROR),1)
CFLAGS		+= -Werror
endif
LDFLAGS		+= -pie -Wl,-z,relro,-z,now $(EXTRA_LDFLAGS)

NL_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags libnl-route-3.0 2>/dev/null)
NL_LIBS		:= $(shell $(PKG_CONFIG) --libs libnl-route-3.0 2>/dev/null)
SLIRP_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags slirp 2>/dev/null)
SLIRP_LIBS	:= $(shell $(PKG_CONFIG) --libs slirp 2>/dev/null)
# libumlnet's pcap transport links libpcap; nothing in net/ links glib.
LIB_LIBS	:= -lpcap

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRC		:= $(wildcard net/*.c net/transports/*.c)
COMMON_SRC	:= $(wildcard common/*.c)
SWITCH_SRC	:= $(filter-out uml_switch/main.c,$(wildcard uml_switch/*.c))
TUNCTL_SRC	:= $(wildcard tunctl/*.c)
UMLNET_SRC	:= $(wildcard uml_net/*.c)
UMLSLIRP_SRC	:= $(wildcard uml_slirp/*.c)
UMLCTL_SRC	:= $(wildcard umlctl/*.c)
UMLDUMP_SRC	:= $(wildcard uml_dump/*.c)
UNIT_SRC	:= $(wildcard tests/unit/*.c)
BENCH_SRC	:= $(wildcard tests/bench/*.c)
FUZZ_SRC	:= $(wildcard tests/fuzz/*.c)
TOOL_SRC	:= $(wildcard tests/tools/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIB		:= $(BUILD)/libumlnet.a
# common/: what the programs share beside libumlnet (logging, sockets, sandbox)
COMMON		:= $(BUILD)/libcommon.a
SWLIB		:= $(BUILD)/libswitch.a
PROGS		:= $(BUILD)/uml_switch
ifneq ($(TUNCTL_SRC),)
PROGS		+= $(BUILD)/tunctl
endif
ifneq ($(UMLNET_SRC),)
PROGS		+= $(BUILD)/uml_net
endif
ifneq ($(UMLSLIRP_SRC),)
PROGS		+= $(BUILD)/uml_slirp
endif
ifneq ($(UMLCTL_SRC),)
PROGS		+= $(BUILD)/umlctl
endif
ifneq ($(UMLDUMP_SRC),)
PROGS		+= $(BUILD)/uml_dump
endif
UNITS		:= $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BENCHES		:= $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
FUZZERS		:= $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
TOOLS		:= $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))

.SECONDARY:
.PHONY: all check demo bench soak fuzz asan lint install kernel clean units
# uml-xstate.so (compat/xstate.c): preloaded into the 6.1 UML kernels we
# boot, so that they run on hosts with AVX-512 or AMX
XSTATE		:= $(BUILD)/uml-xstate.so
all: $(PROGS) $(UNITS) $(BENCHES) $(TOOLS) $(XSTATE)

$(XSTATE): compat/xstate.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  SO      $@")
	$(Q)$(CC) $(CFLAGS) -fPIC -shared $(filter-out -pie,$(LDFLAGS)) -o $@ $<

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) $(NL_CFLAGS) $(TARGET_CFLAGS) -c -o $@ $<

$(LIB): $(call obj,$(LIB_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(SWLIB): $(call obj,$(SWITCH_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(COMMON): $(call obj,$(COMMON_SRC))
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/uml_switch: $(call obj,uml_switch/main.c) $(SWLIB) $(LIB) $(COMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(BUILD)/obj/uml_net/%.o: TARGET_CFLAGS := -DUML_NET_CONF='"$(SYSCONFDIR)/umlnet/uml_net.conf"'

# uml_slirp: the only program with libslirp (and so glib) in it.
$(BUILD)/obj/uml_slirp/%.o: TARGET_CFLAGS := $(SLIRP_CFLAGS)
$(BUILD)/uml_slirp: $(call obj,$(UMLSLIRP_SRC)) $(LIB) $(COMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(SLIRP_LIBS) $(LIB_LIBS)

$(BUILD)/tunctl: $(call obj,$(TUNCTL_SRC)) $(LIB) $(COMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

# umlctl: the management socket's command line; uml_dump: netkit's dump
$(BUILD)/umlctl: $(call obj,$(UMLCTL_SRC)) $(LIB) $(COMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/uml_dump: $(call obj,$(UMLDUMP_SRC)) $(LIB) $(COMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/uml_net: $(call obj,$(UMLNET_SRC)) $(LIB) $(COMMON)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/tests/%: $(call obj,tests/unit/%.c) $(SWLIB) $(LIB) $(COMMON)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(BUILD)/bench/%: $(call obj,tests/bench/%.c) $(LIB) $(COMMON)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lm $(LIB_LIBS)

$(BUILD)/tools/%: $(call obj,tests/tools/%.c) $(LIB) $(COMMON)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIB_LIBS)

# Fuzzers: clang + libFuzzer over the library and switch sources.
FUZZ_CFLAGS	:= -g -O1 -std=gnu11 -D_GNU_SOURCE -Inet -Icommon $(WARN) \
		   -fsanitize=fuzzer,address,undefined
ifeq ($(WERROR),1)
FUZZ_CFLAGS	+= -Werror
endif
# A target may #include a program's sources (uml_net/, uml_slirp/,
# kernel/): those and every header are prerequisites too, but only the
# target and the libraries' sources are compiled and linked.
FUZZ_LINK	:= $(LIB_SRC) $(SWITCH_SRC) $(COMMON_SRC)
FUZZ_DEPS	:= $(wildcard net/*.h common/*.h uml_switch/*.h uml_net/*.[ch] \
		   uml_slirp/*.[ch] kernel/*.[ch])
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LINK) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $(filter tests/fuzz/%.c $(FUZZ_LINK),$^) \
		$(LIB_LIBS)

units: $(UNITS)

# Our UML kernel: Debian's linux-source-6.1 with kernel/ and net/ added
# (scripts/build-kernel: unpacked under $(BUILD), ccache, incremental).
KERNEL_DEPS	:= $(wildcard kernel/* net/*.[ch] net/transports/*.c) \
		   scripts/build-kernel
kernel: $(BUILD)/linux
$(BUILD)/linux: $(KERNEL_DEPS)
	$(Q)scripts/build-kernel $(BUILD)

fuzz: $(FUZZERS)
	$(Q)for f in $(FUZZERS); do \
		mkdir -p $(BUILD)/corpus/$$(basename $$f); \
		echo "  RUN     $$f ($(FUZZ_SECONDS)s)"; \
		d=tests/fuzz/$$(basename $$f).dict; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		    $$([ -f $$d ] && echo -dict=$$d) \
		    -artifact_prefix=$(BUILD)/$$(basename $$f)- \
		    $(BUILD)/corpus/$$(basename $$f) >$(BUILD)/$$(basename $$f).log 2>&1 \
		    || { tail -40 $(BUILD)/$$(basename $$f).log; exit 1; }; \
	done

asan: $(BUILD)/uml_slirp
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan WERROR=1 \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -U_FORTIFY_SOURCE -O1" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" units
	$(Q)UBSAN_OPTIONS=halt_on_error=1 tests/run-units $(BUILD)/asan/tests

check:
	$(Q)scripts/install-deps
	$(Q)$(MAKE) --no-print-directory WERROR=1 all
	$(Q)$(MAKE) --no-print-directory kernel
	$(Q)tests/run

demo:
	$(Q)scripts/install-deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo

soak:
	$(Q)scripts/install-deps
	$(Q)$(MAKE) --no-print-directory WERROR=1 all
	$(Q)tests/run --soak

bench:
	$(Q)scripts/install-deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/bench/run
	$(Q)tests/bench/slirp-bench
	$(Q)tests/bench/impair-bench
	$(Q)$(MAKE) --no-print-directory kernel
	$(Q)tests/bench/guest-bench
	$(Q)tests/bench/vxlan-bench
	$(Q)tests/bench/vhost-bench

# Every shell script of the tree (debian/rules is make, not shell).  shellcheck
# at severity warning and up: -x with SCRIPTDIR follows the libraries the
# tests source (lib.sh, kernel-lib.sh, ...); --norc, so a personal
# ~/.shellcheckrc changes nothing; -f gcc, one line per finding in CI logs.
# A check is disabled only at its line, with the reason beside it.
SH_SCRIPTS	:= $(wildcard .ci/run scripts/* lab/uml-lab labs/*/check labs/*/*.startup \
		   labs/*/shared/usr/local/sbin/* \
		   tests/run tests/run-units tests/mutate \
		   tests/soak/*.sh \
		   tests/net/*.sh debian/*.preinst debian/*.postinst debian/*.prerm \
		   debian/*.postrm) $(filter-out %.c %.md,$(wildcard tests/bench/*))

lint:
	$(Q)for t in cppcheck shellcheck; do command -v $$t >/dev/null || \
		{ echo "lint: $$t is not installed (run scripts/install-deps)" >&2; exit 1; }; done
	$(Q)cppcheck --quiet --enable=warning,performance,portability \
		--error-exitcode=1 -Inet -Icommon net common uml_switch tunctl uml_net uml_slirp \
		umlctl uml_dump
	$(Q)shellcheck --norc -f gcc -x -P SCRIPTDIR -S warning $(SH_SCRIPTS)

# ---- install, uninstall, deb ------------------------------------------------
# What `make install` installs, and where.  install and uninstall read the
# same lists and debian/rules packages whatever install installs, so a
# program added to PROGS goes to BINDIR, and a man page NAME.N kept beside
# its program's sources goes to man section N, with no change here.
BINDIR		?= $(PREFIX)/bin
SBINDIR		?= $(PREFIX)/sbin
MANDIR		?= $(PREFIX)/share/man
DOCDIR		?= $(PREFIX)/share/doc/umlnet
PKGLIBDIR	?= $(PREFIX)/lib/umlnet
# uml_net is installed setuid root; tunctl and the host-setup scripts are
# the administrator's (sbin); every other program is a user's (bin).
INST_SUID	:= $(filter $(BUILD)/uml_net,$(PROGS))
INST_SBIN	:= $(filter $(BUILD)/tunctl,$(PROGS)) scripts/uml-bridge-tap \
		   scripts/uml-proxy-arp scripts/uml-guest
INST_BIN	:= $(filter-out $(INST_SUID) $(INST_SBIN),$(PROGS)) lab/uml-lab
INST_MAN	:= $(filter-out $(BUILD)/% debian/% tests/%,$(wildcard */*.[1-8]))
MAN_SECTIONS	:= $(sort $(patsubst .%,%,$(suffix $(INST_MAN))))
INST_DOC	:= uml_net/uml_net.conf.example
# The kernel turns '_' into ' ' in eth0=slirp,,HELPER: uml-slirp has none.
INST_SLIRPLINK	:= $(if $(filter $(BUILD)/uml_slirp,$(PROGS)),uml-slirp)
INSTALLED	:= $(addprefix $(BINDIR)/,$(notdir $(INST_BIN) $(INST_SUID)) $(INST_SLIRPLINK)) \
		   $(addprefix $(SBINDIR)/,$(notdir $(INST_SBIN))) \
		   $(foreach m,$(INST_MAN),$(MANDIR)/man$(patsubst .%,%,$(suffix $(m)))/$(notdir $(m))) \
		   $(if $(INST_SLIRPLINK),$(MANDIR)/man1/uml-slirp.1) \
		   $(addprefix $(DOCDIR)/,$(notdir $(INST_DOC))) \
		   $(PKGLIBDIR)/uml-xstate.so
INST_DIRS	:= $(BINDIR) $(SBINDIR) $(addprefix $(MANDIR)/man,$(MAN_SECTIONS)) \
		   $(DOCDIR) $(PKGLIBDIR) $(SYSCONFDIR)/umlnet
# Ownership only when root: a user's staging install (DESTDIR=...) gets the
# same modes, the setuid bit included, and no chown.
INSTALL_OWN	= $(if $(filter 0,$(shell id -u)),-o root -g root)

install: all
	install -d -m 0755 $(addprefix $(DESTDIR),$(filter-out $(SYSCONFDIR)/%,$(INST_DIRS)))
	install -m 0755 $(INST_BIN) $(DESTDIR)$(BINDIR)/
	$(if $(INST_SUID),install -m 4755 $(INSTALL_OWN) $(INST_SUID) $(DESTDIR)$(BINDIR)/)
	install -m 0755 $(INST_SBIN) $(DESTDIR)$(SBINDIR)/
	$(foreach s,$(MAN_SECTIONS),install -m 0644 $(filter %.$(s),$(INST_MAN)) \
		$(DESTDIR)$(MANDIR)/man$(s)/ &&) true
	$(if $(INST_SLIRPLINK),ln -sf uml_slirp $(DESTDIR)$(BINDIR)/uml-slirp && \
		ln -sf uml_slirp.1 $(DESTDIR)$(MANDIR)/man1/uml-slirp.1)
	install -m 0644 $(INST_DOC) $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(XSTATE) $(DESTDIR)$(PKGLIBDIR)/
	install -d -m 0755 $(INSTALL_OWN) $(DESTDIR)$(SYSCONFDIR)/umlnet

# Our own directories go when empty (a policy written into /etc/umlnet
# stays); in a DESTDIR staging tree every directory install made goes too,
# but shared ones such as /usr/local/bin on a live system are left alone.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
ifeq ($(DESTDIR),)
	for d in $(DOCDIR) $(PKGLIBDIR) $(SYSCONFDIR)/umlnet; do \
		[ ! -d "$$d" ] || rmdir --ignore-fail-on-non-empty "$$d" || exit 1; done
else
	cd $(DESTDIR) && for d in $(patsubst /%,%,$(INST_DIRS)); do \
		[ ! -d "$$d" ] || rmdir -p --ignore-fail-on-non-empty "$$d" || exit 1; done
endif

# make deb: the Debian packages (debian/, debhelper), built by
# dpkg-buildpackage in a copy of this tree, $(DEB_DIR)/umlnet, so the tree
# itself stays clean; the .deb, .buildinfo and .changes land in $(DEB_DIR).
# The copy is built with debian/rules' settings, not this make's variables.
DEB_DIR		?= $(BUILD)/deb
DEB_JOBS	?= 2
deb_rel		= $(patsubst $(CURDIR)/%,./%,$(abspath $(1)))
deb:
	$(Q)rm -rf $(DEB_DIR)/umlnet $(DEB_DIR)/umlnet_* $(DEB_DIR)/umlnet-dbgsym_*
	$(Q)mkdir -p $(DEB_DIR)/umlnet
	$(Q)tar -cf - --exclude-vcs --exclude=./build --exclude='$(call deb_rel,$(BUILD))' \
		--exclude='$(call deb_rel,$(DEB_DIR))' --exclude=./debian/umlnet \
		--exclude=./debian/tmp --exclude=./debian/.debhelper . | \
		tar -xf - -C $(DEB_DIR)/umlnet
	$(Q)cd $(DEB_DIR)/umlnet && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD \
		dpkg-buildpackage -b -us -uc -J$(DEB_JOBS)
	$(Q)ls -l $(DEB_DIR)/*.deb

.PHONY: uninstall deb

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
