# atprompt: a git-aware shell prompt.
#
#	make		build ./atprompt
#	make run	install what is missing, build, print this prompt
#	make test	install what is missing, run the whole suite under
#			AddressSanitizer and UndefinedBehaviorSanitizer
#	make bench	compare with git status and __git_ps1 (bench/)
#	make install	PREFIX=/usr/local DESTDIR= as usual
#
# DEVELOPER=1 turns warnings into errors, as the test build always does.

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/atprompt
CC = cc

CFLAGS = -O2 -g
WARNINGS = -Wall -Wextra -Wmissing-prototypes -Wshadow -Wformat=2
STRICT = $(WARNINGS) -Werror
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# The static libgit2 from tools/libgit2, or the system's when that
# could not be built; build/libgit2/status says which.
LIBGIT2 = build/libgit2/status
PKG_CFLAGS = $$(tools/flags cflags)
PKG_LIBS = $$(tools/flags libs)
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) $(PKG_CFLAGS)

SRC = prompt.c cache.c git_status.c format.c ignore.c index.c path.c scan.c \
	term.c util.c
HDR = cache.h git_status.h format.h ignore.h index.h path.h scan.h term.h \
	util.h shims.h
SHIMS = shells/atprompt.bash shells/atprompt.zsh shells/atprompt.fish
TESTBIN = build/test/atprompt

all: atprompt

atprompt: $(SRC) $(HDR) $(LIBGIT2)
	$(CC) $(ALL_CFLAGS) $(DEVFLAGS) -o $@ $(SRC) $(LDFLAGS) $(PKG_LIBS)

shims.h: $(SHIMS) tools/embed
	tools/embed $(SHIMS) > $@.tmp && mv $@.tmp $@

$(LIBGIT2): tools/libgit2
	tools/libgit2

$(TESTBIN): $(SRC) $(HDR) $(LIBGIT2)
	mkdir -p build/test
	$(CC) -std=c11 $(STRICT) -O1 -g $(SANITIZE) $(PKG_CFLAGS) \
	    -o $@ $(SRC) $(SANITIZE) $(PKG_LIBS)

deps:
	@tools/deps

run: deps
	@$(MAKE) -s atprompt
	@./atprompt; echo

test: deps
	@$(MAKE) -s atprompt $(TESTBIN) DEVFLAGS=-Werror
	tools/check-style
	ATPROMPT=$(CURDIR)/$(TESTBIN) tools/run-tests

bench: deps atprompt
	bench/run

install: atprompt
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)
	cp atprompt $(DESTDIR)$(BINDIR)/atprompt
	chmod 755 $(DESTDIR)$(BINDIR)/atprompt
	cp $(SHIMS) $(DESTDIR)$(SHAREDIR)/
	chmod 644 $(DESTDIR)$(SHAREDIR)/atprompt.*

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/atprompt
	rm -rf $(DESTDIR)$(SHAREDIR)

# clean keeps the static libgit2, which takes a download and a minute.
clean:
	rm -rf atprompt build/test shims.h.tmp

distclean: clean
	rm -rf build

.PHONY: all deps run test bench install uninstall clean distclean
