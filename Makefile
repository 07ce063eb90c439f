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

# --- the grader: harness/grade.c is main(), its rooms are the library -------
# One folder per concern (harness/README.md); the audit library's own sources
# (harness/audit/lib/) are preloaded into student programs, never linked in.
HARNESS_ROOMS := run audit labs report class lang
HARNESS_SRCS := $(wildcard $(addprefix harness/,$(addsuffix /*.c,$(HARNESS_ROOMS))))
HARNESS_OBJS := $(patsubst harness/%.c,build/harness/%.o,$(HARNESS_SRCS))
ASAN_OBJS    := $(patsubst harness/%.c,build/asan/harness/%.o,$(HARNESS_SRCS))
UNIT_SRCS    := $(wildcard harness/tests/unit/test_*.c)
UNIT_BINS    := $(patsubst harness/tests/unit/%.c,build/tests/%,$(UNIT_SRCS))
ASAN_BINS    := $(patsubst harness/tests/unit/%.c,build/asan/tests/%,$(UNIT_SRCS))
# The run layer alone, for test programs that run programs.
RUN_OBJS     := $(patsubst harness/%.c,build/harness/%.o,$(wildcard harness/run/*.c))

.PHONY: all labs check check-run check-sync check-unit grade bench deps deps-grade slides handouts handout bench deps clean help
.DELETE_ON_ERROR:
# Objects made by pattern rules on the way to a test are kept, not rebuilt.
.SECONDARY:

all: bin/grade $(SOL_BINS) $(LAB_BINS)

help:
	@echo "make            build the grader (bin/grade), the solutions (build/) and labs/ in place"
	@echo "make grade      grade labs/ (LAB=02 one lab, SUBMISSION=dir another folder, STRICT=1 exit status)"
	@echo "make check      every test of the project"
	@echo "make labs       regenerate the skeletons in labs/ from solutions/"
	@echo "make slides     slides/build/*.pdf and *.html;  make handouts: each lab's README as PDF"
	@echo "make handout    dist/ tarball for students;  make gradescope: the autograder zip"
	@echo "make bench      performance figures (CSV under build/bench/, charts)"
	@echo "make deps       install the Debian packages the project needs (as root), or print the command"
	@echo "                (make deps-grade: only what grading needs)"
	@echo "make clean      remove everything built"

# --- deps: only what is missing; as a user, print the line to run ----------
deps:
	@sh .ci/install-deps

# What grading alone needs (a student's machine, a CI runner).
deps-grade:
	@sh .ci/install-deps grade

# --- solutions, skeletons and the student's labs ----------------------------
build/solutions/%: solutions/%.c
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) -MMD -MP -MF build/dep/$@.d -o $@ $<

build/skeletons/%: solutions/% harness/labs/mkskel.awk
	@mkdir -p $(@D)
	awk -f harness/labs/mkskel.awk $< > $@

# Skeletons compile warning-free: built with -Werror, from the generated copy
# (after every generated header is there, for a first `make -j`).
$(GEN_BINS): | $(GEN_SKEL)
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
	$(CC) $(CFLAGS) -o $@ $(filter %.o,$^) $(PKG_LIBS)

build/harness/%.o: harness/%.c
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d -c -o $@ $<

build/asan/harness/%.o: harness/%.c
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d -c -o $@ $<

build/tests/%: harness/tests/unit/%.c $(HARNESS_OBJS)
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d -o $@ $(filter %.c %.o,$^) $(CHECK_LIBS) $(PKG_LIBS)

build/asan/tests/%: harness/tests/unit/%.c $(ASAN_OBJS)
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(SANITIZE) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d -o $@ $(filter %.c %.o,$^) $(CHECK_LIBS) $(PKG_LIBS)

# --- grading -------------------------------------------------------------------
SUBMISSION ?= labs
grade: deps-grade
	@$(MAKE) --no-print-directory bin/grade bin/mmapaudit.so
	@bin/grade $(if $(LAB),--lab $(LAB)) $(SUBMISSION); st=$$?; \
	if [ -n "$(STRICT)" ]; then exit $$st; fi; [ $$st -le 1 ]

# What the audit library and the bwrap layer cost a grading (bench/grade_cost.sh).
.PHONY: bench-cost
bench: bench-cost
bench-cost: bin/grade $(AUDIT_LIB)
	@sh bench/grade_cost.sh build/bench/grade_cost.csv

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
	@# Check's 4 s per test is for a quiet machine: ASan and a busy one are slower.
	@for t in $(ASAN_BINS); do echo "== $$t (ASan/UBSan)"; CK_TIMEOUT_MULTIPLIER=10 $$t || exit 1; done

# --- lab tests (issue 2) ---------------------------------------------------------
# test_labs runs the lab programs against SPEC §1.  The solutions must pass it;
# the skeletons must fail it, and --skeleton checks they say "not implemented".
LABTEST      := build/tests/labs/test_labs
LABTEST_OBJS := $(RUN_OBJS)

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

# --- wrong-submission corpus (issue 3) ---
# Each folder of harness/tests/corpus/ is a wrong submission laid over
# solutions/ and the verdict it must get (its README.md); test_corpus grades
# each one with bin/grade (CORPUS=dir for another folder of cases).
CORPUSTEST := build/tests/corpus/test_corpus
CORPUS     ?= harness/tests/corpus

CORPUS_OBJS := $(RUN_OBJS)

$(CORPUSTEST): harness/tests/corpus/test_corpus.c $(CORPUS_OBJS)
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d \
	  -o $@ $< $(CORPUS_OBJS) $(CHECK_LIBS) $(PKG_LIBS)

.PHONY: check-corpus bench-grade
check-run: check-corpus
check-corpus: $(CORPUSTEST) bin/grade
	@echo "== $(CORPUSTEST) $(CORPUS)"
	@$(CORPUSTEST) $(CORPUS)

# Wall time of bin/grade solutions next to the same compiles and runs done by
# a plain script (bench/grade_speed.sh says how they are counted).
bench: bench-grade
bench-grade: bin/grade
	@mkdir -p build/bench
	@bench/grade_speed.sh build/bench/grade_speed.csv

# --- class mode, formats, packaging (issue 6) ---
# test_class grades a class made by harness/tests/class/mkclass.sh (solutions,
# the corpus, submissions that hang, crash or do not compile) and has each
# report format read by a consumer of that format; test_dist.sh unpacks the
# handout and the Gradescope zip in fresh folders and grades with them.
CLASSTEST := build/tests/class/test_class
HANDOUT   := dist/mmaplab-handout.tar.gz
GSZIP     := dist/mmaplab-gradescope.zip
# Not for students: the reference solutions, the grader's tests (the corpus is
# the solutions with one mistake each), the Gradescope packaging, and the
# lecturer's slides and measurements (their code solves labs still to come).
HANDOUT_SKIP := ^(solutions|harness/tests|harness/gradescope|slides|bench)/
# The project's files: git's list in a checkout (untracked files that are not
# ignored too, so that work not yet committed is packed); elsewhere, all but
# what builds make.
PROJECT_FILES = { git ls-files -c -o --exclude-standard 2>/dev/null || \
	find . \( -path ./.git -o -path ./build -o -path ./bin -o -path ./dist \
	  -o -path ./slides/node_modules \) -prune -o -type f -print | sed 's,^\./,,' | \
	  grep -vE '^labs/[^/]+/[^/.]+$$'; } | \
	while read -r f; do [ -f "$$f" ] && echo "$$f"; done | LC_ALL=C sort -u

$(CLASSTEST): harness/tests/class/test_class.c harness/tests/class/testing.c build/harness/run/sys.o
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d \
	  -o $@ $(filter %.c %.o,$^) $(CHECK_LIBS) $(PKG_LIBS)

.PHONY: check-class gradescope bench-class $(HANDOUT) $(GSZIP)
check-run: check-class
check-class: all $(CLASSTEST) $(HANDOUT) $(GSZIP)
	@echo "== $(CLASSTEST) (a class of about 50, graded several ways: a minute or two)"
	@$(CLASSTEST)
	@echo "== harness/tests/class/test_dist.sh: the handout and the Gradescope zip, used"
	@sh harness/tests/class/test_dist.sh $(HANDOUT) $(GSZIP)

handout: $(HANDOUT)
$(HANDOUT):
	@mkdir -p $(@D)
	@{ $(PROJECT_FILES) | grep -vE '$(HANDOUT_SKIP)'; echo $(LOCALE_MO); } > $@.list
	@tar -cf - --owner=0 --group=0 --numeric-owner --mode=go-w \
	  --mtime=@$$(git log -1 --format=%ct 2>/dev/null || echo 0) \
	  --transform 's,^,mmaplab/,' -T $@.list | gzip -n > $@.tmp
	@mv $@.tmp $@; echo "handout: $@, $$(wc -l < $@.list) files, no solutions/"; rm -f $@.list

# The handout's files under mmaplab/, Gradescope's two scripts at the root.
gradescope: $(GSZIP)
$(GSZIP): $(HANDOUT) harness/gradescope/setup.sh harness/gradescope/run_autograder
	@rm -rf build/gradescope && mkdir -p build/gradescope
	@tar -xzf $(HANDOUT) -C build/gradescope
	@install -m 755 harness/gradescope/setup.sh harness/gradescope/run_autograder build/gradescope/
	@rm -f $@ && cd build/gradescope && zip -q -X -r $(CURDIR)/$@ setup.sh run_autograder mmaplab
	@echo "gradescope: $@ (upload it as the assignment's autograder)"

bench: bench-class
bench-class: bin/grade
	@sh harness/tests/class/bench_class.sh build/bench $(or $(N),200)

# --- similarity in class mode (issue 17) ---
# test_similarity grades a class made by harness/tests/class/mksimilar.sh (a
# disguised copy, solutions written apart, skeletons, hostile files) and
# holds similarity.csv, .json and summary.txt to what must and must not pair.
SIMTEST := build/tests/class/test_similarity

$(SIMTEST): harness/tests/class/test_similarity.c harness/tests/class/testing.c build/harness/run/sys.o
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d \
	  -o $@ $(filter %.c %.o,$^) $(CHECK_LIBS) $(PKG_LIBS)

.PHONY: check-similarity
check-run: check-similarity
check-similarity: all $(SIMTEST)
	@echo "== $(SIMTEST) (a class of about 35, graded once, then compared several ways)"
	@$(SIMTEST)

# --- hostile corpus (issues 7 and 13) ---
# harness/tests/hostile/: submissions that attack the grader, the machine or
# a classmate (fork bomb, floods, daemons, escapes, leftovers; README.md), and
# a class with a fork bomb and a flood in it, graded by test_corpus with the
# verdict each must get.  As root: once as root (the grader runs every
# program under a uid of its own), then once as the ordinary uid
# HOSTILE_UID, bounded before it starts (prlimit --nproc=256, timeout -s
# KILL), where the grader's default is the namespace layer.  As an ordinary
# user: once, as that user, bounded the same way.
HOSTILE_UID ?= 3130013
HOSTILE_TMP := build/hostile-user
HOSTILE_RUN  = timeout -s KILL 900 prlimit --nproc=256 env TMPDIR=$(CURDIR)/$(HOSTILE_TMP) \
	  GRADE=$(CURDIR)/bin/grade SOLUTIONS=$(CURDIR)/solutions \
	  $(CURDIR)/$(CORPUSTEST) $(CURDIR)/harness/tests/hostile
.PHONY: check-hostile
check-run: check-hostile
check-hostile: $(CORPUSTEST) bin/grade bin/mmapaudit.so
	@rm -rf $(HOSTILE_TMP) && mkdir -p $(HOSTILE_TMP)
	@if [ "$$(id -u)" -eq 0 ]; then \
	  echo "== $(CORPUSTEST) harness/tests/hostile, as root (about a minute and a half)"; \
	  $(CORPUSTEST) harness/tests/hostile; root=$$?; \
	  echo "== the same, as uid $(HOSTILE_UID) under prlimit --nproc=256"; \
	  chown $(HOSTILE_UID):$(HOSTILE_UID) $(HOSTILE_TMP); \
	  (cd $(HOSTILE_TMP) && setpriv --reuid=$(HOSTILE_UID) --regid=$(HOSTILE_UID) \
	    --clear-groups $(HOSTILE_RUN)); st=$$?; [ $$root -eq 0 ] || st=1; \
	else \
	  echo "== $(CORPUSTEST) harness/tests/hostile, as uid $$(id -u) under prlimit --nproc=256"; \
	  (cd $(HOSTILE_TMP) && $(HOSTILE_RUN)); st=$$?; \
	fi; rm -rf $(CURDIR)/$(HOSTILE_TMP); exit $$st

# The set-ups an instructor meets (issue 13): root in a chroot, root with a
# 0700 TMPDIR, an ordinary uid under low hard limits, in a chroot and not:
# each grades solutions/ with full marks (harness/tests/hostile/situations.sh).
.PHONY: check-situations
check-run: check-situations
check-situations: bin/grade bin/mmapaudit.so
	@echo "== harness/tests/hostile/situations.sh (chroot, 0700 TMPDIR, hard limits)"
	@sh harness/tests/hostile/situations.sh $(HOSTILE_UID)

# --- audit library (issue 4) ---------------------------------------------------
# bin/mmapaudit.so is preloaded into student programs (never into the grader:
# harness/audit/lib/ is not one of HARNESS_ROOMS' sources).  test_audit runs harness/tests/audit/
# auditee.c under it; the static build must yield no records at all.
AUDIT_LIB   := bin/mmapaudit.so
AUDIT_SRCS  := $(wildcard harness/audit/lib/*.c)
AUDITEE     := build/tests/audit/auditee
AUDIT_COST  := build/bench/audit_cost.csv

all: $(AUDIT_LIB)

$(AUDIT_LIB): $(AUDIT_SRCS) $(wildcard harness/audit/lib/*.h) harness/audit/frames_proto.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -shared -fvisibility=hidden -o $@ $(AUDIT_SRCS) -ldl

$(AUDITEE): harness/tests/audit/auditee.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

$(AUDITEE)-static: harness/tests/audit/auditee.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $<

build/tests/audit/runcost: harness/tests/audit/runcost.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

check-unit: $(AUDIT_LIB) $(AUDITEE) $(AUDITEE)-static

# Solutions run N times bare and N times audited (CPU time); the ratio is the
# cost, set against what compiling a program costs the grader.
.PHONY: bench-audit
bench: bench-audit
bench-audit: $(AUDIT_LIB) build/tests/audit/runcost $(SOL_BINS)
	@mkdir -p $(dir $(AUDIT_COST))
	sh bench/audit_cost.sh $(AUDIT_LIB) build/tests/audit/runcost build/solutions \
	  solutions $(or $(N),200) > $(AUDIT_COST).tmp
	@mv $(AUDIT_COST).tmp $(AUDIT_COST); sed -n 's/^# //p' $(AUDIT_COST); echo "bench: $(AUDIT_COST)"

# --- memory picture (issue 14) ----------------------------------------------------
# make show LAB=02 [SUBMISSION=dir]: each program of the lab run once (fork_share
# also with -p) and its memory picture printed: page frames when run as root.
# test_memory runs harness/tests/audit/memee.c under the library: as root (with
# the frame reader) in check-unit, and again as nobody here, when run as root.
MEMEE := build/tests/audit/memee
$(MEMEE): harness/tests/audit/memee.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

check-unit: $(MEMEE)
check-run: check-memory-user
.PHONY: check-memory-user
check-memory-user: build/tests/test_memory $(MEMEE) $(AUDIT_LIB)
	@if [ "$$(id -u)" = 0 ]; then echo "== build/tests/test_memory (as nobody)"; \
	  timeout -s KILL 120 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    prlimit --nproc=4000 env TMPDIR=/tmp build/tests/test_memory; \
	else echo "== check-memory-user: not root, test_memory ran as $$(id -un) in check-unit"; fi

# What the picture costs a grading: with it and --no-memory, side by side.
.PHONY: bench-memory
bench: bench-memory
bench-memory: bin/grade $(AUDIT_LIB) $(SOL_BINS) build/tests/audit/runcost
	@sh bench/memory_cost.sh build/tests/audit/runcost build/bench/memory_cost.csv

.PHONY: show
show: deps-grade
	@$(MAKE) --no-print-directory bin/grade bin/mmapaudit.so
	@bin/grade --show $(if $(LAB),--lab $(LAB),--lab 02 --lab 03) $(SUBMISSION)

# --- slides, handouts and benchmarks (issue 5 and others) ------------------------
# Slides: slides/mmap-ipc.md through slides/mmaplab.lua, which reads the code
# shown from solutions/ and slides/demo/ and runs the programs for the output
# shown.  PDF: beamer .tex, then pdflatex here (so that the log can be
# checked); HTML: reveal.js from npm, inlined into one file.
SLIDES       := slides/build/mmap-ipc
SLIDE_BINS   := $(patsubst slides/demo/%.c,slides/build/bin/%,$(wildcard slides/demo/*.c))
SLIDE_DEPS   := slides/mmap-ipc.md slides/mmaplab.lua slides/transcript.sh \
                $(SOL_BINS) $(SOL_SRCS) $(SOL_HDRS) $(SLIDE_BINS) $(wildcard slides/demo/*.c)
REVEAL       := slides/node_modules/reveal.js
PANDOC       := pandoc --fail-if-warnings --lua-filter=slides/mmaplab.lua
# pdflatex twice (frame numbers, outline); on failure the log's end, and no
# "Missing character" (a glyph the fonts lack) is ever let through.
define pdflatex
	@cd $(dir $1) && for pass in 1 2; do \
	  pdflatex -interaction=nonstopmode -halt-on-error -file-line-error $(notdir $1) >/dev/null \
	  || { tail -n 30 $(notdir $(1:.tex=.log)); exit 1; }; done
	@if grep 'Missing character' $(1:.tex=.log); then echo "$(1:.tex=.log): missing characters"; exit 1; fi
endef

slides: $(SLIDES).pdf $(SLIDES)-notes.pdf $(SLIDES).html

slides/build/bin/%: slides/demo/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

# npm only when reveal.js is missing: once installed, the build is offline.
$(REVEAL)/dist/reveal.js:
	cd slides && npm ci --no-audit --no-fund

BEAMER = $(PANDOC) -t beamer -s --slide-level=2 -H slides/cjk.tex -H slides/beamer.tex -o $@
$(SLIDES).tex: $(SLIDE_DEPS) slides/cjk.tex slides/beamer.tex slides/build/read_vs_mmap.pdf
	@mkdir -p $(@D)
	$(BEAMER) slides/mmap-ipc.md

$(SLIDES).pdf: $(SLIDES).tex
	$(call pdflatex,$<)

# The lecturer's copy: each frame followed by its speaker notes.
$(SLIDES)-notes.tex: $(SLIDES).tex
	sed 's/^\\begin{document}$$/\\setbeameroption{show notes}\n&/' $< > $@

$(SLIDES)-notes.pdf: $(SLIDES)-notes.tex
	$(call pdflatex,$<)

REVEALJS = $(PANDOC) -t revealjs -s --self-contained --slide-level=2 --resource-path=slides/build \
	  -V revealjs-url=$(REVEAL) -V theme=white -V width=1280 -V height=720 -V center=false \
	  -V navigationMode=linear -V slideNumber="'c/t'" -V transition=none \
	  --css slides/reveal.css -o $@
$(SLIDES).html: $(SLIDE_DEPS) slides/reveal.css slides/build/read_vs_mmap.svg $(REVEAL)/dist/reveal.js
	$(REVEALJS) slides/mmap-ipc.md

# Handouts: each lab's README.md as a printable PDF, same toolchain.
HANDOUTS := $(patsubst labs/%/README.md,build/handouts/%.pdf,$(wildcard labs/[0-9][0-9]-*/README.md))
handouts: $(HANDOUTS)

HANDOUT_LATEX = $(PANDOC) -t latex -s --shift-heading-level-by=-1 -V geometry=a4paper,margin=22mm \
	  -V colorlinks -H slides/cjk.tex -H slides/handout.tex -o $@ $<
build/handouts/%.tex: labs/%/README.md slides/mmaplab.lua slides/cjk.tex slides/handout.tex
	@mkdir -p $(@D)
	$(HANDOUT_LATEX)

build/handouts/%.pdf: build/handouts/%.tex
	$(call pdflatex,$<)

# Benchmarks: `make bench` measures afresh; the slides take the last CSV,
# and measure only when there is none.
READMMAP := build/bench/read_vs_mmap
bench: bench-readmmap
bench-readmmap: $(READMMAP).pdf $(READMMAP).svg
	@sed -n 's/^# //p' $(READMMAP).csv; echo "bench: $(READMMAP).csv, .pdf and .svg"

$(READMMAP): bench/read_vs_mmap.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

$(READMMAP).csv: $(if $(filter bench bench-readmmap,$(MAKECMDGOALS)),bench-readmmap-measure) | $(READMMAP)
	@echo "bench: timing read() against mmap (a few seconds)"
	$(READMMAP) -d $(@D) > $@.tmp
	@mv $@.tmp $@

# The chart: PDF (vector) for beamer, SVG for the HTML; the same for make bench.
$(READMMAP).pdf $(READMMAP).svg slides/build/read_vs_mmap.pdf slides/build/read_vs_mmap.svg: \
  $(READMMAP).csv bench/read_vs_mmap.gp
	@mkdir -p $(@D)
	gnuplot -e "csv='$<'; out='$@'" bench/read_vs_mmap.gp

.PHONY: bench-readmmap bench-readmmap-measure check-slides
check-run: check-slides
check-slides: slides handouts
	@echo "== slides and handouts (slides/test.sh)"
	@sh slides/test.sh

# --- labs 05 and 06 (issue 18) ---------------------------------------------------
# The grader carries lab 06's reference program as text (.incbin in
# lab06_speed.c), so its object is older than the source it holds.
build/harness/labs/lab06_speed.o build/asan/harness/labs/lab06_speed.o: harness/labs/lab06_reference.c

# Lab 06's slide: the read-vs-mmap chart's data, with what the lab measures marked.
slides/build/lab06_speed.pdf slides/build/lab06_speed.svg: $(READMMAP).csv bench/read_vs_mmap.gp \
  slides/lab06_speed.gp
	@mkdir -p $(@D)
	gnuplot -e "csv='$<'; out='$@'" slides/lab06_speed.gp
$(SLIDES).tex: slides/build/lab06_speed.pdf
$(SLIDES).html: slides/build/lab06_speed.svg

# --- the memory picture on the slides (issue 14) ---------------------------------
# Drawn from a real grading of the solutions (lab 02, --seed 1): its JSON, the
# figures memory_picture.py takes from it, gnuplot's drawing (frame numbers
# when built as root).
MEMPIC := slides/build/memory_picture
$(MEMPIC).json: bin/grade $(AUDIT_LIB) $(wildcard solutions/02-*/*.c)
	@mkdir -p $(@D)
	bin/grade --lab 02 --format json --seed 1 -o $@ solutions || [ $$? -eq 1 ]

$(MEMPIC).vars: $(MEMPIC).json slides/memory_picture.py
	python3 slides/memory_picture.py $< > $@.tmp
	@mv $@.tmp $@

$(MEMPIC).pdf $(MEMPIC).svg: $(MEMPIC).vars slides/memory_picture.gp
	gnuplot -e "vars='$<'; out='$@'" slides/memory_picture.gp

$(SLIDES).tex: $(MEMPIC).pdf
$(SLIDES).html: $(MEMPIC).svg

clean:
	rm -rf build bin dist slides/build $(LAB_BINS)

-include $(shell find build/dep -name '*.d' 2>/dev/null)

# --- messages in Chinese (issue 16) ----------------------------------------------
# The grader's human-read messages are marked _() / N_() (harness/lang/lang.h);
# xgettext collects them into build/po/mmaplab.pot, `make po` merges that into
# po/zh_CN.po (then translate what it marks untranslated or fuzzy, with the
# terms of po/GLOSSARY.md), msgfmt builds the catalogue that bin/grade finds
# beside itself (build/locale/...: lang.c says where it looks).
LOCALE_MO := build/locale/zh_CN/LC_MESSAGES/mmaplab.mo
POT       := build/po/mmaplab.pot
PO        := po/zh_CN.po
# The grader's sources, not its tests nor the library preloaded into programs.
MSG_SRCS   = $(sort $(shell find harness -name '*.[ch]' -not -path 'harness/tests/*' \
                 -not -path 'harness/audit/lib/*'))
XGETTEXT  := xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
             --add-comments=TRANSLATORS: --add-location=file --package-name=mmaplab \
             --msgid-bugs-address=none

.PHONY: po check-po check-lang check-slides-zh
all: $(LOCALE_MO)

# Without msgfmt (a student's machine, Gradescope's image) the catalogue that
# the handout and the Gradescope zip ship is kept as it is.
$(HANDOUT): $(LOCALE_MO)
$(LOCALE_MO): $(PO)
	@mkdir -p $(@D)
	@if command -v msgfmt >/dev/null; then msgfmt --check -o $@.tmp $< && mv $@.tmp $@; \
	elif [ -f $@ ]; then touch $@; \
	else echo "$@: msgfmt is missing (install gettext): no Chinese messages"; exit 1; fi

$(POT): $(MSG_SRCS)
	@mkdir -p $(@D)
	$(XGETTEXT) -o $@.tmp $^ && mv $@.tmp $@

po: $(POT)
	msgmerge --quiet --update --backup=none --previous $(PO) $(POT)
	@msgfmt --statistics -o /dev/null $(PO)

# Every message translated and none fuzzy, the same printf conversions in
# both languages (po/check.py, which also shows that it catches each fault);
# then the grader in both languages (harness/tests/lang/test_lang.sh).
check-run: check-po check-lang
check-po: $(POT)
	@echo "== po/check.py $(PO) $(POT)"
	@python3 po/check.py $(PO) $(POT)

# Handouts in Chinese: labs/NN-name/README.zh_CN.md, as the English ones
# (build/handouts/NN-name.zh_CN.pdf); the same sections and commands as the
# English one, which test_lang.sh compares.
HANDOUTS_ZH := $(patsubst labs/%/README.zh_CN.md,build/handouts/%.zh_CN.pdf,\
                 $(wildcard labs/[0-9][0-9]-*/README.zh_CN.md))
handouts: $(HANDOUTS_ZH)
# east_asian_line_breaks: a line break between two Chinese characters is no space.
build/handouts/%.zh_CN.tex: labs/%/README.zh_CN.md slides/mmaplab.lua slides/cjk.tex slides/handout.tex
	@mkdir -p $(@D)
	$(HANDOUT_LATEX) -f markdown+east_asian_line_breaks

# The lecture in Chinese: slides/mmap-ipc.zh_CN.md has the English deck's
# frames with the same code, transcript and chart blocks (the filter reads
# and runs the same files; test_lang.sh holds the two decks to that).
SLIDES_ZH := slides/build/mmap-ipc.zh_CN
slides: $(SLIDES_ZH).pdf $(SLIDES_ZH).html
$(SLIDES_ZH).tex: slides/mmap-ipc.zh_CN.md $(SLIDE_DEPS) slides/cjk.tex slides/beamer.tex \
  slides/build/read_vs_mmap.pdf
	@mkdir -p $(@D)
	$(BEAMER) -f markdown+east_asian_line_breaks slides/mmap-ipc.zh_CN.md

$(SLIDES_ZH).pdf: $(SLIDES_ZH).tex
	$(call pdflatex,$<)

$(SLIDES_ZH).tex: $(MEMPIC).pdf slides/build/lab06_speed.pdf
$(SLIDES_ZH).html: $(MEMPIC).svg slides/build/lab06_speed.svg

$(SLIDES_ZH).html: slides/mmap-ipc.zh_CN.md $(SLIDE_DEPS) slides/reveal.css \
  slides/build/read_vs_mmap.svg $(REVEAL)/dist/reveal.js
	$(REVEALJS) -f markdown+east_asian_line_breaks -V lang=zh-CN slides/mmap-ipc.zh_CN.md

check-run: check-slides-zh
check-slides-zh: slides handouts
	@echo "== harness/tests/lang/test_slides.sh (the lecture and the handouts in Chinese)"
	@sh harness/tests/lang/test_slides.sh

check-lang: all $(HANDOUT) $(GSZIP)
	@echo "== harness/tests/lang/test_lang.sh (the grader in English and in Chinese)"
	@sh harness/tests/lang/test_lang.sh $(HANDOUT) $(GSZIP)

# --- HTML reports (issue 15) ---------------------------------------------------
# test_html.sh makes student pages (a graded submission, the hostile corpus's
# binary-output and fake-score, build/tests/html/pages' page of the worst
# strings) and class pages (a small class graded here, 300 students made up),
# checks each one's markup and size (check_page.py), then opens them in
# headless Chromium with the network off (browser.py): screenshots, the first
# hint in view, nothing fetched.
HTMLPAGES := build/tests/html/pages

$(HTMLPAGES): harness/tests/html/pages.c $(HARNESS_OBJS)
	@mkdir -p $(@D) build/dep/$(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iharness -MMD -MP -MF build/dep/$@.d \
	  -o $@ $< $(HARNESS_OBJS) $(PKG_LIBS)

.PHONY: check-html
check-run: check-html
check-html: $(HTMLPAGES) bin/grade bin/mmapaudit.so
	@echo "== harness/tests/html/test_html.sh (pages graded, checked, opened in Chromium)"
	@sh harness/tests/html/test_html.sh build/tests/html
