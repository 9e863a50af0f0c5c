# index.c, the reader of git's index file: what it reads must be what
# git ls-files reads, for every index version and extension git writes,
# and a damaged index must fail with a reason rather than crash.  The
# reader is driven by tools/index-dump, built here with the sanitizers.

bats_require_minimum_version 1.5.0
load helper

# The unprivileged run of tools/run-tests copies only tests/ and tools/:
# without the sources there, each test skips.
setup_file() {
	local top=$BATS_TEST_DIRNAME/..
	if [[ ! -f $top/index.c ]]; then
		export INDEX_SKIP="no index.c beside the tests"
		return 0
	fi
	cc -std=c11 -Wall -Wextra -Wmissing-prototypes -Wshadow -Werror \
	    -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer -o "$BATS_FILE_TMPDIR/index-dump" \
	    "$top/index.c" "$top/util.c" "$top/tools/index-dump.c"
}

setup() {
	[[ -z ${INDEX_SKIP-} ]] || skip "$INDEX_SKIP"
	common_setup
	DUMP=$BATS_FILE_TMPDIR/index-dump
}

# dump DIR [ARGS...]: the dump tool on DIR's git dir.
dump() {
	local dir=$1
	shift
	"$DUMP" "$@" "$(git -C "$dir" rev-parse --absolute-git-dir)"
}

# git_debug DIR: git ls-files --stage --debug, sparse entries as they
# are, with the flags cut to those stored on disk (git adds bits of its
# own in memory, such as the split index's).
git_debug() {
	local line flags
	git -C "$1" ls-files --stage --debug --sparse |
	while IFS= read -r line; do
		if [[ $line == *"flags: "* ]]; then
			flags=$((0x${line##*flags: } & 0x6000f000))
			line=$(printf '%s%x' "${line%flags: *}flags: " "$flags")
		fi
		printf '%s\n' "$line"
	done
}

# assert_same_as_git DIR: the dump and git agree entry for entry, stat
# data and flags included.
assert_same_as_git() {
	local want got
	want=$(git_debug "$1")
	got=$(dump "$1" -d)
	[[ -n $want ]] || { echo "git lists no entries in '$1'"; return 1; }
	assert_equal "$got" "$want"
}

# info DIR KEY: one line of the dump's -i report, without the key.
info() {
	dump "$1" -i | sed -n "s/^$2 //p"
}

# many_files DIR N: N committed files spread over a few directories.
many_files() {
	local i
	git init -q "$1"
	mkdir -p "$1/a/b" "$1/c"
	for ((i = 0; i < $2; i++)); do
		case $((i % 3)) in
		0) printf '%d\n' "$i" > "$1/a/f$i" ;;
		1) printf '%d\n' "$i" > "$1/a/b/f$i" ;;
		2) printf '%d\n' "$i" > "$1/c/f$i" ;;
		esac
	done
	# Old enough that no entry is racily clean: git leaves them alone.
	find "$1" -path "$1/.git" -prune -o -type f \
	    -exec touch -d @1500000000 {} +
	git -C "$1" add .
	git -C "$1" commit -q -m files
}

@test "index - v2 - every entry as git ls-files --stage --debug" {
	new_repo r
	mkdir -p r/dir/sub
	printf 'x\n' > r/dir/sub/deep.txt
	printf '#!/bin/sh\n' > r/run.sh
	chmod +x r/run.sh
	ln -s tracked.txt r/link
	git -C r add .
	git -C r commit -q -m more
	assert_same_as_git r
	assert_equal "$(info r version)" 2
	assert_equal "$(info r entries)" 4
	assert_equal "$(info r hash)" sha1
}

@test "index - v3 - intent-to-add, skip-worktree and assume-unchanged" {
	new_repo r
	printf 'a\n' > r/a
	printf 'b\n' > r/b
	printf 'n\n' > r/new
	git -C r add a b
	git -C r add -N new
	git -C r update-index --skip-worktree a
	git -C r update-index --assume-unchanged b
	assert_equal "$(info r version)" 3
	assert_same_as_git r
	# The letters git shows for the same flags.
	run -0 dump r -d
	assert_line --partial "flags: 40004000"
	assert_line --partial "flags: 20004000"
	assert_line --partial "flags: 8000"
	assert_equal "$(git -C r ls-files -t -v a b | tr '\n' ' ')" "S a h b "
}

@test "index - v4 - prefix-compressed paths" {
	many_files r 60
	git -C r update-index --index-version 4
	assert_equal "$(info r version)" 4
	assert_same_as_git r
}

@test "index - long paths - over the 4095 bytes the flags can count" {
	local long oid
	new_repo r
	oid=$(git -C r rev-parse HEAD:tracked.txt)
	long=$(printf 'd%.0s' {1..200})/$(printf 'x%.0s' {1..4100})
	printf '100644 %s\t%s\n100644 %s\t%s/z\n' "$oid" "$long" \
	    "$oid" "${long%/*}" | git -C r update-index --index-info
	assert_same_as_git r
	git -C r update-index --index-version 4
	assert_same_as_git r
	run -0 dump r -f "$long"
	assert_output "100644 $oid 0	$long"
}

@test "index - split index - shared entries deleted, replaced, added" {
	local i file
	many_files r 300
	git -C r -c core.splitIndex=true update-index --split-index
	run -0 compgen -G "r/.git/sharedindex.*"
	# Few changes, so that git keeps the shared index and writes
	# bitmaps: past 64 entries for runs, before for literal words.
	for i in 5 130 131 250 299; do
		file=$(git -C r ls-files | sed -n "$((i + 1))p")
		printf 'changed\n' >> "r/$file"
	done
	git -C r rm -q a/f0 c/f200 a/b/f1
	printf 'new\n' > r/a/new
	printf 'new\n' > r/zz
	git -C r add -A
	assert_equal "$(info r split)" yes
	assert_same_as_git r
	git -C r mv c/f2 c/moved
	assert_same_as_git r
	run -0 dump r -f a/new
	assert_output --regexp '^100644 [0-9a-f]{40} 0	a/new$'
	run -0 dump r -f a/f0
	assert_output --regexp '^absent before [0-9]+$'
}

@test "index - split index - every shared entry replaced" {
	many_files r 100
	git -C r -c core.splitIndex=true update-index --split-index
	# A new ctime on every file replaces each shared entry.
	touch r/a/* r/a/b/* r/c/* 2>/dev/null || true
	git -C r add -A
	assert_equal "$(info r split)" yes
	assert_same_as_git r
}

@test "index - split index - v4 on top of a shared index" {
	many_files r 120
	git -C r -c core.splitIndex=true update-index --split-index
	git -C r update-index --index-version 4
	printf 'more\n' >> r/c/f2
	git -C r add c/f2
	printf 'n\n' > r/a/b/new
	git -C r add a/b/new
	assert_equal "$(info r version)" 4
	assert_same_as_git r
}

@test "index - split index - a missing shared index is an error" {
	local name
	many_files r 10
	git -C r -c core.splitIndex=true update-index --split-index
	name=$(cd r/.git && echo sharedindex.*)
	rm "r/.git/$name"
	run -1 --separate-stderr dump r
	assert_output ""
	assert_equal "$stderr" "index-dump: shared index '$name' missing"
}

@test "index - sparse index - directory entries with a trailing slash" {
	many_files r 30
	git -C r sparse-checkout init --cone --sparse-index
	git -C r sparse-checkout set a/b
	assert_equal "$(info r sparse)" yes
	assert_equal "$(info r sparse-dirs)" 1
	assert_same_as_git r
	run -0 dump r -f c/
	assert_output --regexp '^040000 [0-9a-f]{40} 0	c/$'
}

@test "index - conflict - stages 1, 2 and 3 in order" {
	new_repo r
	git -C r checkout -q -b other
	printf 'theirs\n' > r/tracked.txt
	git -C r commit -q -a -m theirs
	git -C r checkout -q main
	printf 'ours\n' > r/tracked.txt
	git -C r commit -q -a -m ours
	run ! git -C r merge -q other
	assert_same_as_git r
	# Found with no stage-0 entry: a conflicted path is still tracked.
	run -0 dump r -f tracked.txt
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --regexp ' 1	tracked.txt$'
	assert_line --index 2 --regexp ' 3	tracked.txt$'
}

@test "index - odd paths - spaces, newlines and bytes that are not UTF-8" {
	new_repo r
	printf 'a\n' > "r/with space"
	printf 'b\n' > "r/new"$'\n'"line"
	printf 'c\n' > "r/latin1-"$'\xe9'
	printf 'd\n' > "r/tab"$'\t'"here"
	git -C r add .
	cmp <(git -C r ls-files --stage -z) <(dump r -z)
	git -C r update-index --index-version 4
	cmp <(git -C r ls-files --stage -z) <(dump r -z)
}

@test "index - cache tree - root tree after commit, invalid after add" {
	local tree
	many_files r 20
	tree=$(git -C r rev-parse 'HEAD^{tree}')
	assert_equal "$(info r cache-tree)" "$tree"
	printf 'changed\n' >> r/c/f2
	git -C r add c/f2
	assert_equal "$(info r cache-tree)" invalid
	git -C r commit -q -m again
	tree=$(git -C r rev-parse 'HEAD^{tree}')
	assert_equal "$(info r cache-tree)" "$tree"
}

@test "index - sha256 - 32-byte names, from a linked worktree too" {
	local tree
	git init -q --object-format=sha256 r
	mkdir r/d
	printf 'a\n' > r/a
	printf 'b\n' > r/d/b
	git -C r add .
	git -C r commit -q -m one
	git -C r worktree add -q ../w
	assert_equal "$(info r hash)" sha256
	assert_same_as_git r
	assert_equal "$(info w hash)" sha256
	assert_same_as_git w
	tree=$(git -C w rev-parse 'HEAD^{tree}')
	assert_equal "$(info w cache-tree)" "$tree"
}

@test "index - untracked cache and fsmonitor - noted" {
	new_repo r
	assert_equal "$(info r untracked-cache)" no
	assert_equal "$(info r fsmonitor)" no
	printf '#!/bin/sh\nprintf '"'"'token\\0/\\0'"'"'\n' > r/.git/fsmon
	chmod +x r/.git/fsmon
	git -C r config core.fsmonitor .git/fsmon
	git -C r update-index --untracked-cache --fsmonitor
	git -C r status >/dev/null
	assert_equal "$(info r untracked-cache)" yes
	assert_equal "$(info r fsmonitor)" yes
	assert_same_as_git r
}

@test "index - no index yet - empty, not an error" {
	git init -q r
	run -0 --separate-stderr dump r
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(info r version)" 0
}

@test "index - damaged - one line saying why, exit 1" {
	new_repo r
	cp r/.git/index good
	head -c 30 good > r/.git/index
	run -1 --separate-stderr dump r
	assert_equal "$stderr" "index-dump: index truncated"
	printf 'this is no index at all, just some words\n' > r/.git/index
	run -1 --separate-stderr dump r
	assert_equal "$stderr" "index-dump: not an index file"
	{ printf 'DIRC\0\0\0\5'; tail -c +9 good; } > r/.git/index
	run -1 --separate-stderr dump r
	assert_equal "$stderr" "index-dump: unsupported index version 5"
	: > r/.git/index
	run -1 --separate-stderr dump r
	assert_equal "$stderr" "index-dump: index truncated"
}

# fuzz DIR FILE MAX_ACCEPTED: cut FILE (in DIR's git dir) at every
# length and alter each of its bytes, reading the index every time.
# Without the checksum a cut exactly between the entries and an
# extension cannot be told from a whole index, so a few reads may
# succeed; every other one must fail, and none may trip a sanitizer.
fuzz() {
	local file
	file=$(git -C "$1" rev-parse --absolute-git-dir)/$2
	run -0 dump "$1" -T "$file"
	[[ $output =~ ^rejected\ ([0-9]+)\ accepted\ ([0-9]+)$ ]] ||
		{ echo "unexpected: $output"; return 1; }
	((BASH_REMATCH[2] <= $3)) ||
		{ echo "$2: truncations accepted: $output"; return 1; }
	run -0 dump "$1" -X "$file"
	assert_output --regexp '^rejected [0-9]+ accepted [0-9]+$'
	assert_same_as_git "$1"
}

@test "index - fuzzed - v2 and v3 with a cache tree" {
	new_repo r
	mkdir r/d
	printf 'x\n' > r/d/x
	printf 'n\n' > r/n
	git -C r add d/x
	git -C r commit -q -m two
	fuzz r index 1
	git -C r add -N n
	fuzz r index 1
}

@test "index - fuzzed - v4 and a sparse index" {
	many_files r 12
	git -C r sparse-checkout init --cone --sparse-index
	git -C r sparse-checkout set a
	git -C r update-index --index-version 4
	fuzz r index 2
}

@test "index - fuzzed - split index and its shared index" {
	local shared
	many_files r 12
	git -C r -c core.splitIndex=true update-index --split-index
	printf 'more\n' >> r/c/f2
	git -C r rm -q a/f0
	printf 'n\n' > r/new
	git -C r add c/f2 new
	shared=$(cd r/.git && echo sharedindex.*)
	fuzz r index 2
	fuzz r "$shared" 1
}
