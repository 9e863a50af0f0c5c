# ignore.c, git's ignore rules without libgit2: every answer must be
# git's own.  Each test builds a work tree, asks tools/ignore-check (built
# here with the sanitizers) about its paths and compares the answers with
# git check-ignore --no-index, itself checked against git ls-files
# --others --exclude-standard for files.  A few tests also state the
# expected answer, so that a change in git's own behaviour shows up.

bats_require_minimum_version 1.5.0
load helper

# The unprivileged run of tools/run-tests copies only tests/ and tools/:
# without the sources there, each test skips.
setup_file() {
	local top=$BATS_TEST_DIRNAME/..
	if [[ ! -f $top/ignore.c ]]; then
		export IGNORE_SKIP="no ignore.c beside the tests"
		return 0
	fi
	cc -std=c11 -Wall -Wextra -Wmissing-prototypes -Wshadow -Werror \
	    -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer -o "$BATS_FILE_TMPDIR/ignore-check" \
	    "$top/ignore.c" "$top/util.c" "$top/tools/ignore-check.c"
}

setup() {
	[[ -z ${IGNORE_SKIP-} ]] || skip "$IGNORE_SKIP"
	common_setup
	CHECK=$BATS_FILE_TMPDIR/ignore-check
	# Named explicitly on both sides, so that no XDG_CONFIG_HOME of the
	# environment can slip a default excludes file into git's answer.
	EXCLUDES=$BATS_TEST_TMPDIR/excludes
	git init -q repo
}

# mk PATH...: create each missing PATH in repo, empty; a PATH ending in
# '/' is a directory.
mk() {
	local p
	for p; do
		if [[ $p == */ ]]; then
			mkdir -p "repo/$p"
		elif [[ ! -e repo/$p ]]; then
			mkdir -p "$(dirname "repo/$p")"
			: > "repo/$p"
		fi
	done
}

# rules FILE LINE...: write FILE, relative to repo, one rule a line.
rules() {
	local f=repo/$1
	shift
	mkdir -p "$(dirname "$f")"
	printf '%s\n' "$@" > "$f"
}

# git_answer PATH...: git's answer for each PATH, "ignored PATH" or
# "kept PATH", PATH as given.  git finds out by itself which paths are
# directories.  For files, check-ignore and ls-files --others must
# agree, or this fails: the oracle is checked before it is trusted.
git_answer() {
	local p v
	local -A ignored=() listed=()
	while IFS= read -r -d '' p; do
		ignored[$p]=1
	done < <(printf '%s\0' "${@%/}" | git -C repo \
	    -c core.excludesFile="$EXCLUDES" check-ignore --no-index -z \
	    --stdin 2>/dev/null)
	while IFS= read -r -d '' p; do
		listed[$p]=1
	done < <(git -C repo -c core.excludesFile="$EXCLUDES" ls-files -z \
	    --others --exclude-standard 2>/dev/null)
	for p; do
		v=kept
		[[ -n ${ignored[${p%/}]-} ]] && v=ignored
		if [[ $p != */ && -z ${listed[$p]-} && $v == kept ]] ||
		    [[ $p != */ && -n ${listed[$p]-} && $v == ignored ]]; then
			echo "git check-ignore and ls-files differ on '$p'" >&2
			return 1
		fi
		printf '%s %s\n' "$v" "$p"
	done
}

# agree PATH...: create the paths that are missing, then assert that
# ignore-check answers as git does for every one; $output keeps the
# answers for further assertions.
agree() {
	local want icase=()
	mk "$@"
	want=$(git_answer "$@") || return 1
	[[ $(git -C repo config --bool core.ignoreCase) == true ]] &&
		icase=(-i)
	run --separate-stderr "$CHECK" "${icase[@]}" -e "$EXCLUDES" \
	    "$PWD/repo" "$PWD/repo/.git" "$@"
	assert_success
	assert_equal "$stderr" ""
	assert_output "$want"
}

@test "ignore - precedence - a negation in sub/.gitignore beats the top" {
	rules .gitignore '*.log'
	rules sub/.gitignore '!keep.log'
	agree a.log keep.log sub/ sub/keep.log sub/x.log sub/deeper/keep.log
	# The case libgit2 1.9 gets wrong.
	assert_line "kept sub/keep.log"
	assert_line "kept sub/deeper/keep.log"
	assert_line "ignored sub/x.log"
	assert_line "ignored keep.log"
}

@test "ignore - precedence - a deeper rule ignores what the top keeps" {
	rules .gitignore '*.tmp' '!*.tmp'
	rules a/.gitignore 'x.tmp'
	rules a/b/.gitignore '!x.tmp'
	agree x.tmp a/x.tmp a/y.tmp a/b/x.tmp a/c/x.tmp
	assert_line "ignored a/x.tmp"
	assert_line "kept a/b/x.tmp"
}

@test "ignore - precedence - the last matching rule of a file wins" {
	rules .gitignore '*.log' '!a.log' 'a.log' '!b.log' '!c.log' 'c*'
	agree a.log b.log c.log d.log
	assert_output "ignored a.log
kept b.log
ignored c.log
ignored d.log"
}

@test "ignore - unanchored - a name matches at any depth below its file" {
	rules .gitignore 'core' 'hello.*'
	rules lib/.gitignore 'gen'
	agree core a/core a/b/core hello.c a/hello.java corefile gen lib/gen \
	    lib/x/gen x/lib/gen
	assert_line "kept gen"
	assert_line "ignored lib/x/gen"
}

@test "ignore - anchored - a leading slash binds to the file's directory" {
	rules .gitignore '/hello.*' '/top/'
	rules sub/.gitignore '/only'
	agree hello.c a/hello.c top/ a/top/ only sub/only sub/x/only
	assert_line "ignored hello.c"
	assert_line "kept a/hello.c"
	assert_line "kept sub/x/only"
}

@test "ignore - anchored - a middle slash anchors as a leading one does" {
	rules .gitignore 'doc/frotz' 'x/*.o'
	rules sub/.gitignore 'doc/frotz'
	agree doc/frotz a/doc/frotz x/a.o a/x/a.o x/y/a.o sub/doc/frotz \
	    sub/a/doc/frotz
	assert_line "ignored doc/frotz"
	assert_line "kept a/doc/frotz"
	assert_line "kept x/y/a.o"
}

@test "ignore - directory only - a trailing slash spares files" {
	rules .gitignore 'build/' 'a/out/'
	mkdir -p repo/x
	: > repo/x/build
	agree build/ build/f x/build a/out/ a/out/f out/ b/a/out/
	assert_line "ignored build/"
	assert_line "ignored build/f"
	assert_line "kept x/build"
	assert_line "kept b/a/out/"
}

@test "ignore - directory only - a symbolic link to a directory is a file" {
	rules .gitignore 'target/'
	mkdir -p repo/real
	ln -s real repo/target
	agree real/ target
	assert_line "kept target"
}

@test "ignore - double star - leading, any directory" {
	rules .gitignore '**/foo' '**/bar/baz'
	agree foo a/foo a/b/foo bar/baz a/bar/baz a/b/bar/baz bar/x/baz \
	    foox
	assert_line "ignored a/b/foo"
	assert_line "kept bar/x/baz"
}

@test "ignore - double star - trailing, everything inside but the dir" {
	rules .gitignore 'abc/**' '!abc/keep'
	agree abc/ abc/x abc/d/ abc/d/y abc/keep x/abc/y
	# abc itself is not ignored, so the negation can bring keep back.
	assert_line "kept abc/"
	assert_line "ignored abc/d/y"
	assert_line "kept abc/keep"
}

@test "ignore - double star - middle, zero or more directories" {
	rules .gitignore 'a/**/b' 'x/**/y/'
	agree a/b a/q/b a/q/r/b a/qb b/a/b x/y/ x/1/2/y/ x/1/y
	assert_line "ignored a/b"
	assert_line "ignored a/q/r/b"
	assert_line "kept a/qb"
	assert_line "kept x/1/y"
}

@test "ignore - double star - elsewhere it is a plain star" {
	rules .gitignore 'a**z' 'q/b**'
	agree az abz a/ a/z q/b q/bx q/b2/ q/b2/c
	assert_line "ignored abz"
	assert_line "kept a/z"
}

@test "ignore - double star - right after a literal start, as git has it" {
	# git matches past the literal start on its own, which makes "**"
	# there a whole component.
	rules .gitignore 'a**/b'
	agree a/b ab/b a/x/b ax/y/b c/b
	assert_line "ignored a/x/b"
}

@test "ignore - wildcards - star and question mark stop at a slash" {
	rules .gitignore 'a/*' 'x?y' 'p/?/q'
	agree a/b a/c/ a/c/d xzy x/y/ x/y/f p/1/q p/12/q
	assert_line "ignored a/c/d"
	assert_line "kept x/y/f"
	assert_line "kept p/12/q"
}

@test "ignore - classes - ranges, negation and a leading bracket" {
	rules .gitignore 'f[0-9]' 'g[!a-c]' 'h[^x]' 'i[]]' 'j[a-]' 'k[ab]z'
	agree f1 fa g1 gb ha hx 'i]' ix j- ja jb kaz kbz kcz
}

@test "ignore - classes - named classes and malformed brackets" {
	rules .gitignore 'n[[:digit:]]' 'u[[:upper:][:space:]]' 'm[' \
	    'o[[:nope:]]' 'p[\]]'
	agree n1 nx uA ua 'u ' 'm[' m 'o[[:nope:]]' on 'p]'
	assert_line "kept m["
}

@test "ignore - escapes - a backslash protects a leading ! and #" {
	rules .gitignore '\!important!.txt' '\#notes' '#comment' '!x' \
	    'a\*b'
	agree '!important!.txt' important!.txt '#notes' '#comment' comment \
	    'a*b' axb
	assert_line "ignored !important!.txt"
	assert_line "ignored #notes"
	assert_line "kept #comment"
	assert_line "kept axb"
}

@test "ignore - escapes - a lone backslash at the end matches nothing" {
	printf 'foo\\\n' > repo/.gitignore
	agree foo "foo\\"
}

@test "ignore - spaces - trailing ones go unless escaped" {
	printf '%s\n' 'a   ' 'b\ ' 'c\  ' 'd \ \ ' > repo/.gitignore
	agree a 'a ' b 'b ' c 'c ' 'c  ' d 'd  ' 'd   '
	assert_line "ignored a"
	assert_line "ignored b "
	assert_line "ignored d   "
}

@test "ignore - syntax - blank lines, comments and bare marks match nothing" {
	printf '\n   \n# all\n!\n/\n#\n' > repo/.gitignore
	agree a b/ b/c '#' '!' all
}

@test "ignore - ignored parent - a negation cannot bring a file back" {
	rules .gitignore 'build/' '!build/keep.txt' '!keep2.txt'
	rules build/.gitignore '!keep3.txt'
	agree build/ build/keep.txt build/keep2.txt build/keep3.txt \
	    build/sub/keep.txt
	assert_line "ignored build/keep.txt"
	assert_line "ignored build/keep3.txt"
}

@test "ignore - ignored parent - only the contents ignored lets one back" {
	# The example of gitignore(5): everything but foo/bar.
	rules .gitignore '/*' '!/foo' '/foo/*' '!/foo/bar'
	agree x y/ y/z foo/ foo/a foo/bar/ foo/bar/c foo/baz/ foo/baz/d
	assert_line "kept foo/bar/c"
	assert_line "ignored foo/baz/d"
}

@test "ignore - ignored parent - a negated directory rule keeps the walk" {
	rules .gitignore '*' '!*/' '!*.c'
	agree a.c a.h d/ d/a.c d/a.h d/e/ d/e/b.c
	assert_line "kept d/e/b.c"
	assert_line "ignored d/a.h"
}

@test "ignore - sources - .gitignore beats info/exclude" {
	rules .gitignore '!keep.o'
	rules .git/info/exclude '*.o' 'gen/'
	rules gen/.gitignore '!keep.o'
	agree a.o keep.o d/keep.o gen/ gen/keep.o
	assert_line "kept keep.o"
	assert_line "ignored a.o"
	# info/exclude ignores gen itself: no rule below can help.
	assert_line "ignored gen/keep.o"
}

@test "ignore - sources - info/exclude beats core.excludesFile" {
	printf '%s\n' '*.swp' '*.bak' 'tmp/' > "$EXCLUDES"
	rules .git/info/exclude '!keep.swp'
	agree a.swp keep.swp a.bak tmp/ tmp/x d/keep.swp
	assert_line "kept keep.swp"
	assert_line "ignored a.swp"
	assert_line "ignored tmp/x"
}

@test "ignore - sources - .gitignore beats core.excludesFile" {
	printf '%s\n' '*.swp' > "$EXCLUDES"
	rules d/.gitignore '!*.swp'
	agree a.swp d/a.swp d/e/a.swp
	assert_line "kept d/e/a.swp"
}

@test "ignore - sources - no excludes file and no info/exclude" {
	rm -f repo/.git/info/exclude
	rules .gitignore 'x'
	agree x y
}

@test "ignore - sources - a symbolic link for info/exclude is followed" {
	printf '%s\n' 'linked' > "$BATS_TEST_TMPDIR/real-exclude"
	ln -sf "$BATS_TEST_TMPDIR/real-exclude" repo/.git/info/exclude
	agree linked other
	assert_line "ignored linked"
}

@test "ignore - files - a .gitignore that is a symbolic link is not read" {
	printf '%s\n' 'a' > "$BATS_TEST_TMPDIR/rules"
	ln -s "$BATS_TEST_TMPDIR/rules" repo/.gitignore
	mkdir -p repo/d
	ln -s ../.gitignore repo/d/.gitignore
	rules e/.gitignore 'a'
	agree a d/a e/a
	assert_line "kept a"
	assert_line "kept d/a"
	assert_line "ignored e/a"
}

@test "ignore - files - CRLF line ends" {
	printf '*.log\r\n!keep.log\r\nbin/\r\n/top \r\n' > repo/.gitignore
	agree a.log keep.log bin/ bin/x top d/top
	assert_line "kept keep.log"
	assert_line "ignored bin/x"
	assert_line "ignored top"
}

@test "ignore - files - a byte order mark and a NUL in a line" {
	printf '\xef\xbb\xbfbom\nnu\0l\nafter\n' > repo/.gitignore
	agree bom nu nul after
	assert_line "ignored bom"
}

@test "ignore - files - a .gitignore that is a directory or unreadable" {
	mkdir -p repo/d/.gitignore
	rules e/.gitignore 'x'
	chmod 000 repo/e/.gitignore
	agree d/x e/x e/y
}

@test "ignore - files - a FIFO is not waited on" {
	# git would block on it; atprompt must not, and reads no rules.
	mkfifo repo/.gitignore
	mk a
	run -0 timeout 10 "$CHECK" "$PWD/repo" "$PWD/repo/.git" a
	assert_output "kept a"
}

@test "ignore - files - no final newline and a last line of spaces" {
	printf 'a\n!b\nc' > repo/.gitignore
	agree a b c
	printf 'a\n   ' > repo/.gitignore
	agree a b
}

@test "ignore - deep tree - rules at several levels, six down" {
	rules .gitignore '*.o' 'cache/' '/l1/l2/fixed'
	rules l1/.gitignore '!*.o' 'l3/**/gen'
	rules l1/l2/.gitignore '*.o' '!keep.o'
	rules l1/l2/l3/.gitignore '/anch' 'tmp*'
	rules l1/l2/l3/l4/l5/.gitignore '!tmp2' 'cache'
	local d=l1/l2/l3/l4/l5/l6
	agree a.o l1/a.o l1/l2/a.o l1/l2/keep.o l1/l2/l3/a.o $d/a.o \
	    $d/keep.o l1/l2/fixed l1/l2/l3/fixed l1/l2/l3/anch \
	    l1/l2/l3/l4/anch l1/l2/l3/tmp1 $d/tmp1 l1/l2/l3/l4/l5/tmp2 \
	    $d/tmp2 l1/l3/x/gen l1/l2/l3/gen l1/l3/gen $d/cache $d/cache2 \
	    l1/cache/ l1/cache/x l1/l2/l3/l4/l5/cache l1/l2/l3/l4/l5/l6/
	assert_line "kept l1/a.o"
	assert_line "ignored $d/a.o"
	assert_line "kept $d/keep.o"
	assert_line "kept l1/l2/l3/l4/l5/tmp2"
	assert_line "ignored $d/tmp1"
}

@test "ignore - deep tree - an ignored directory halfway down" {
	rules .gitignore 'skip/'
	rules a/b/.gitignore '!/skip/'
	rules a/b/c/skip/d/.gitignore '!*'
	agree a/skip/ a/b/skip/ a/b/c/skip/ a/b/c/skip/d/e/f/g/x \
	    a/b/skip/d/e/f/x
	assert_line "ignored a/skip/"
	assert_line "kept a/b/skip/d/e/f/x"
	assert_line "ignored a/b/c/skip/d/e/f/g/x"
}

@test "ignore - names - UTF-8 and odd bytes compare as bytes" {
	rules .gitignore 'café' '*ß' '[é]'
	agree café cafe strauß ß é e 'a b' 'tab	x'
	assert_line "ignored café"
	assert_line "kept cafe"
}

@test "ignore - cache - the same answers on every round" {
	local paths=(a.log sub/keep.log sub/x.log build/ build/f d/e/f/g.log)
	rules .gitignore '*.log' 'build/'
	rules sub/.gitignore '!keep.log'
	agree "${paths[@]}"
	local once=$output
	run -0 "$CHECK" -n 5 "$PWD/repo" "$PWD/repo/.git" "${paths[@]}"
	assert_output "$once"
}

# random_rule: one rule made of pieces that meet the names of the tree
# in random_tree, with random anchors, marks and trailing spaces.
random_rule() {
	local parts=(a b ab '*' '**' '?' '[ab]' '[!a]' '[a-b]' '*.log' x.log
	    'a*' '*b' '\!n' '[[:alpha:]]*')
	local r='' i n=$((RANDOM % 3 + 1))
	for ((i = 0; i < n; i++)); do
		r+=${r:+/}${parts[RANDOM % ${#parts[@]}]}
	done
	((RANDOM % 5 == 0)) && r=/$r
	((RANDOM % 5 == 0)) && r=$r/
	((RANDOM % 3 == 0)) && r=!$r
	((RANDOM % 9 == 0)) && r="$r  "
	printf '%s\n' "$r"
}

@test "ignore - random rules - twenty seeded sets agree with git" {
	local seed i n d dirs=('' a b a/b b/a a/b/a)
	local paths=(a/ b/ a/b/ b/a/ a/b/a/)
	for d in "${dirs[@]}"; do
		paths+=("${d:+$d/}x.log" "${d:+$d/}bb" "${d:+$d/}ba" \
		    "${d:+$d/}!n")
	done
	for seed in {1..20}; do
		RANDOM=$seed
		rm -rf repo
		git init -q repo
		for d in "${dirs[@]}"; do
			((RANDOM % 2 == 0)) || continue
			n=$((RANDOM % 4 + 1))
			for ((i = 0; i < n; i++)); do
				random_rule
			done > "$BATS_TEST_TMPDIR/r"
			mkdir -p "repo/$d"
			mv "$BATS_TEST_TMPDIR/r" "repo/${d:+$d/}.gitignore"
		done
		random_rule > repo/.git/info/exclude
		random_rule > "$EXCLUDES"
		agree "${paths[@]}"
	done
}

@test "ignore - core.ignoreCase - literal, suffix and glob rules fold ASCII" {
	git -C repo config core.ignoreCase true
	rules .gitignore '*.LOG' 'Build/' 'README' 'x?Y' 'dir/Sub/*.TXT' \
	    'café' '/Top' 'DEEP/**/End'
	agree a.log b.Log c.LOG build/ BUILD/ readme ReadMe xay XAy \
	    dir/sub/f.txt DIR/SUB/G.Txt CAFÉ café top TOP/ deep/x/end \
	    Deep/y/END
	assert_line "ignored b.Log"
	assert_line "ignored BUILD/"
	assert_line "ignored DIR/SUB/G.Txt"
	assert_line "kept CAFÉ"
}

@test "ignore - core.ignoreCase - brackets and escapes as git folds them" {
	git -C repo config core.ignoreCase true
	rules .gitignore 'a[B]' 'b[b]' 'c[A-C]' 'd[a-c]' 'e[[:upper:]]' \
	    'f[[:lower:]]' 'g\Q' 'h\q' 'i[!X]'
	agree aB ab bB bb cb cB db dB ea eA fa fA gQ gq hq hQ ix iX iy
}

@test "ignore - core.ignoreCase - off, case still counts" {
	git -C repo config core.ignoreCase false
	rules .gitignore '*.LOG' 'Build/'
	agree a.log a.LOG build/ Build/
	assert_line "kept a.log"
	assert_line "ignored a.LOG"
}

@test "ignore - random rules - ten seeded sets under core.ignoreCase" {
	local seed i n d dirs=('' a B a/b A/B)
	local paths=(a/ B/ a/b/ A/B/)
	for d in "${dirs[@]}"; do
		paths+=("${d:+$d/}x.log" "${d:+$d/}X.LOG" "${d:+$d/}bB" \
		    "${d:+$d/}Ba" "${d:+$d/}AB")
	done
	for seed in {1..10}; do
		RANDOM=$seed
		rm -rf repo
		git init -q repo
		git -C repo config core.ignoreCase true
		for d in "${dirs[@]}"; do
			((RANDOM % 2 == 0)) || continue
			n=$((RANDOM % 4 + 1))
			for ((i = 0; i < n; i++)); do
				if ((RANDOM % 2)); then
					random_rule | tr ab AB
				else
					random_rule
				fi
			done > "$BATS_TEST_TMPDIR/r"
			mkdir -p "repo/$d"
			mv "$BATS_TEST_TMPDIR/r" "repo/${d:+$d/}.gitignore"
		done
		random_rule | tr a A > repo/.git/info/exclude
		random_rule > "$EXCLUDES"
		agree "${paths[@]}"
	done
}
