# mmaplab: the whole build.  `make help` says what each target does.
#
# Project code (grader, solutions, tests) builds with -Werror; the student labs
# in labs/ build in place with the grader's own flags, so that `make` and
# `make grade` agree on what a warning is (shown, not fatal).

CC       := gcc
CFLAGS   := -std=c11 -Wall -Wextra -Werror -g -O2
LABFLAGS := -std=gnu11 -Wall -Wextra -g
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Evaluated when used, after `make deps` has had its chance to install them.
PKG_CFLAGS = $(shell pkg-config --cflags jansson)
PKG_LIBS   = $(shell pkg-config --libs jansson)
CHECK_LIBS = $(shell pkg-config --libs check)

# --- labs: every .c of solutions/NN-name/ is one program --------------------
LAB_DIRS    := $(sort $(wildcard solutions/[0-9][0-9]-*))
SOL_SRCS    := $(wildcard $(addsuffix /*.c,$(LAB_DIRS)))
SOL_HDRS    := $(wildcard $(addsuffix /*.h,$(LAB_DIRS)))
SOL_BINS    := $(patsubst solutions/%.c,build/solutions/%,$(SOL_SRCS))
SKEL_FILES  := $(patsubst solutions/%,labs/%,$(SOL_SRCS) $(SOL_HDRS))
LAB_BINS    := $(patsubst labs/%.c,labs/%,$(wildcard labs/[0-9][0-9]-*/*.c))
GEN_SKEL    := $(patsubst solutions/%,build/skeletons/%,$(SOL_SRCS) $(SOL_HDRS))
GEN_BINS    := $(patsubst solutions/%.c,build/skeletons/%,$(SOL_SRCS))

# --- the grader: harness/grade.c is main(), the rest is its library ---------
HARNESS_SRCS := $(filter-out harness/grade.c,$(wildcard harness/*.c))
HARNESS_OBJS := $(patsubst harness/%.c,build/harness/%.o,$(HARNESS_SRCS))
ASAN_OBJS    := $(patsubst harness/%.c,build/asan/harness/%.o,$(HARNESS_SRCS))
UNIT_SRCS    := $(wildcard harness/tests/unit/test_*.c)
UNIT_BINS    := $(patsubst harness/tests/unit/%.c,build/tests/%,$(UNIT_SRCS))
ASAN_BINS    := $(patsubst harness/tests/unit/%.c,build/asan/tests/%,$(UNIT_SRCS))

.PHONY: all labs check check-run check-sync check-unit grade slides handouts handout bench deps clean help
.DELETE_ON_ERROR:

all: bin/grade $(SOL_BINS) $(LAB_BINS)

help:
	@echo "make            build the grader (bin/grade), the solutions (build/) and labs/ in place"
	@echo "make grade      grade labs/ (LAB=02 one lab, SUBMISSION=dir another folder, STRICT=1 exit status)"
	@echo "make check      every test of the project"
	@echo "make labs       regenerate the skeletons in labs/ from solutions/"
	@echo "make slides     slides/build/*.pdf and *.html;  make handouts: each lab's README as PDF"
	@echo "make handout    dist/ tarball for students;  make bench: performance figures"
	@echo "make deps       install the Debian packages the project needs (as root), or print the command"
	@echo "make clean      remove everything built"

# --- deps: only what is missing; as a user, print the line to run ----------
deps:
	@sh .ci/install-deps

# --- solutions, skeletons and the student's labs ----------------------------
build/solutions/%: solutions/%.c
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) -MMD -MP -MF build/dep/$@.d -o $@ $<

build/skeletons/%: solutions/% harness/mkskel.awk
	@mkdir -p $(@D)
	awk -f harness/mkskel.awk $< > $@

# Skeletons compile warning-free: built with -Werror, from the generated copy.
build/skeletons/%: build/skeletons/%.c
	@mkdir -p build/dep/$(@D)
	$(CC) $(CFLAGS) -MMD -MP -MF build/dep/$@.d -o $@ $<

labs: $(GEN_SKEL)
	@for f in $(GEN_SKEL); do dst=labs/$${f#build/skeletons/}; mkdir -p $$(dirname $$dst); \
	  cmp -s $$f $$dst || { cp $$f $$dst; echo "labs: wrote $$dst"; }; done

labs/%: labs/%.c
	@mkdir -p build/dep/$(@D)
	$(CC) $(LABFLAGS) -MMD -MP -MF build/dep/$@.d -o $@ $<

# --- the grader --------------------------------------------------------------
bin/grade: build/harness/grade.o $(HARNESS_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/harness/%.o: harness/%.c
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -MF build/dep/$@.d -c -o $@ $<

build/asan/harness/%.o: harness/%.c
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(PKG_CFLAGS) -MMD -MP -MF build/dep/$@.d -c -o $@ $<

build/tests/%: harness/tests/unit/%.c $(HARNESS_OBJS)
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS)

build/asan/tests/%: harness/tests/unit/%.c $(ASAN_OBJS)
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS)

# --- grading -------------------------------------------------------------------
SUBMISSION ?= labs
grade: deps
	@$(MAKE) --no-print-directory bin/grade
	@bin/grade $(if $(LAB),--lab $(LAB)) $(SUBMISSION); st=$$?; \
	if [ -n "$(STRICT)" ]; then exit $$st; fi; [ $$st -le 1 ]

# --- tests -----------------------------------------------------------------------
check: deps
	@$(MAKE) --no-print-directory check-run

# Each area adds its own check-* step as a prerequisite of check-run.
check-run: check-sync check-unit

check-sync: $(GEN_SKEL)
	@echo "== labs/ is what make labs generates from solutions/"
	@for f in $(GEN_SKEL); do cmp -s $$f labs/$${f#build/skeletons/} || \
	  { echo "labs/$${f#build/skeletons/} differs from its solution: run 'make labs'"; exit 1; }; done

check-unit: all $(UNIT_BINS) $(ASAN_BINS)
	@for t in $(UNIT_BINS); do echo "== $$t"; $$t || exit 1; done
	@for t in $(ASAN_BINS); do echo "== $$t (ASan/UBSan)"; $$t || exit 1; done

# --- lab tests (issue 2) ---------------------------------------------------------
# test_labs runs the lab programs against SPEC §1.  The solutions must pass it;
# the skeletons must fail it, and --skeleton checks they say "not implemented".
LABTEST      := build/tests/labs/test_labs
LABTEST_OBJS := build/harness/run.o build/harness/sys.o

$(LABTEST): harness/tests/labs/test_labs.c $(LABTEST_OBJS)
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) -Iharness -Isolutions/04-writer-reader -MMD -MP -MF build/dep/$@.d \
	  -o $@ $< $(LABTEST_OBJS) $(CHECK_LIBS)

.PHONY: check-labs
check-run: check-labs
# The skeletons' headers are generated before the skeletons that include them.
check-labs: $(LABTEST) $(SOL_BINS) $(GEN_SKEL) $(GEN_BINS)
	@echo "== $(LABTEST) against build/solutions (must pass)"
	@LAB_BIN=build/solutions $(LABTEST)
	@echo "== $(LABTEST) against build/skeletons (must fail; log: $(LABTEST).skeletons.log)"
	@LAB_BIN=build/skeletons $(LABTEST) > $(LABTEST).skeletons.log 2>&1; st=$$?; \
	grep -E '^[0-9]+%: Checks: ' $(LABTEST).skeletons.log; \
	if [ $$st -eq 0 ]; then echo "check-labs: the skeletons pass the solution's tests"; exit 1; fi; \
	if [ $$st -ne 1 ]; then cat $(LABTEST).skeletons.log; echo "check-labs: test_labs could not run (exit $$st)"; exit 1; fi
	@LAB_BIN=build/skeletons $(LABTEST) --skeleton

# --- audit library (issue 4) ---------------------------------------------------

# --- slides, handouts and benchmarks (issue 5 and others) ------------------------

clean:
	rm -rf build bin dist slides/build $(LAB_BINS)

-include $(shell find build/dep -name '*.d' 2>/dev/null)
