# Repository state: index formats and extensions.  Version 4 with its
# prefix-compressed paths, the split index, the sparse index, the
# untracked cache, the fsmonitor extension (with a hook that must never
# run), resolve-undo and the end-of-index entries.  Each precondition
# is checked in the index file itself; git status is the oracle.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	T=$(cd "$BATS_TEST_TMPDIR" && pwd -P)
	new_repo r
	mkdir -p r/a/deep r/b r/c
	printf '1\n' > r/a/one.txt
	printf '2\n' > r/a/deep/two.txt
	printf '3\n' > r/b/three.txt
	printf '4\n' > r/c/four.txt
	git -C r add .
	git -C r commit -q -m tree
}

# index_version DIR: the version number in DIR's index header.
index_version() {
	od -An -tu4 --endian=big -j4 -N4 "$1/.git/index" | tr -d ' '
}

# has_extension DIR SIG: DIR's index holds an extension named SIG.
has_extension() {
	grep -aq "$2" "$1/.git/index"
}

# changes DIR: one change of every kind the counts know.
changes() {
	printf 'edit\n' >> "$1/a/one.txt"
	printf 'staged\n' >> "$1/b/three.txt"
	git -C "$1" add b/three.txt
	git -C "$1" rm -q c/four.txt
	printf 'new\n' > "$1/a/deep/new.txt"
	mkdir "$1/fresh"
	printf 'new\n' > "$1/fresh/x"
}

@test "index - version 4 - prefix-compressed paths" {
	git -C r update-index --index-version 4
	[[ $(index_version r) == 4 ]]
	changes r
	[[ $(index_version r) == 4 ]]
	assert_git_agrees r
	assert_json staged 2
	assert_json unstaged 1
	assert_json untracked 2
}

@test "index - version 3 - extended flags for intent-to-add" {
	printf 'later\n' > r/later.txt
	git -C r add -N later.txt
	[[ $(index_version r) == 3 ]]
	changes r
	assert_git_agrees r
}

@test "index - version 2 - forced" {
	git -C r update-index --index-version 2
	[[ $(index_version r) == 2 ]]
	changes r
	assert_git_agrees r
}

@test "index - split index - changes in the split part" {
	git -C r config core.splitIndex true
	git -C r update-index --split-index
	changes r
	has_extension r link
	compgen -G "r/.git/sharedindex.*" >/dev/null
	assert_git_agrees r
	assert_json staged 2
}

@test "index - split index - changes before and after the split" {
	printf 'before\n' >> r/a/one.txt
	git -C r add a/one.txt
	git -C r config core.splitIndex true
	git -C r update-index --split-index
	printf 'after\n' >> r/b/three.txt
	git -C r add b/three.txt
	git -C r rm -q --cached a/deep/two.txt
	has_extension r link
	assert_git_agrees r
	assert_json staged 3
	assert_json untracked 1
}

@test "index - sparse index - directories collapsed" {
	git -C r sparse-checkout set --cone --sparse-index a
	git -C r ls-files --sparse | grep -q '^b/$'
	has_extension r sdir
	printf 'edit\n' >> r/a/one.txt
	printf 'new\n' > r/a/new.txt
	assert_git_agrees r
	assert_json unstaged 1
	assert_json untracked 1
	assert_json staged 0
}

@test "index - sparse index - staged change inside the cone" {
	git -C r sparse-checkout set --cone --sparse-index a
	printf 'edit\n' >> r/a/deep/two.txt
	git -C r add a/deep/two.txt
	has_extension r sdir
	assert_git_agrees r
	assert_json staged 1
}

@test "index - untracked cache - filled, then new files" {
	git -C r config core.untrackedCache true
	git -C r update-index --untracked-cache
	printf 'u\n' > r/first.txt
	git -C r status --porcelain >/dev/null
	has_extension r UNTR
	printf 'u\n' > r/second.txt
	mkdir r/a/newdir
	printf 'u\n' > r/a/newdir/x
	rm r/first.txt
	assert_git_agrees r
	assert_json untracked 2
}

@test "index - untracked cache - cached entries still true" {
	git -C r config core.untrackedCache true
	git -C r update-index --untracked-cache
	printf 'u\n' > r/first.txt
	mkdir r/b/sub
	printf 'u\n' > r/b/sub/y
	git -C r status --porcelain >/dev/null
	has_extension r UNTR
	assert_git_agrees r
	assert_json untracked 2
}

# fsmonitor_hook: an fsmonitor hook that reports everything changed,
# in either protocol version, and leaves a canary each time it runs.
fsmonitor_hook() {
	cat > "$T/fsmonitor" <<EOF
#!/bin/sh
touch '$T/canary-fsmonitor'
if [ "\$1" = 2 ]; then printf 'token\\0/\\0'; else printf '/\\0'; fi
EOF
	chmod +x "$T/fsmonitor"
}

@test "index - fsmonitor extension - hook never run" {
	fsmonitor_hook
	git -C r config core.fsmonitor "$T/fsmonitor"
	git -C r update-index --fsmonitor
	git -C r status --porcelain >/dev/null
	has_extension r FSMN
	changes r
	git -C r status --porcelain >/dev/null
	has_extension r FSMN
	rm -f "$T/canary-fsmonitor"
	atp_json r
	[[ ! -e $T/canary-fsmonitor ]] ||
		{ echo "atprompt ran core.fsmonitor"; false; }
	plain_prompt r
	run --separate-stderr "$ATPROMPT" -C r --explain
	[[ ! -e $T/canary-fsmonitor ]] ||
		{ echo "atprompt ran core.fsmonitor"; false; }
	assert_git_agrees r
}

@test "index - fsmonitor extension - hook gone since" {
	fsmonitor_hook
	git -C r config core.fsmonitor "$T/fsmonitor"
	git -C r update-index --fsmonitor
	changes r
	git -C r status --porcelain >/dev/null
	has_extension r FSMN
	git -C r config --unset core.fsmonitor
	rm -f "$T/canary-fsmonitor"
	assert_git_agrees r
	[[ ! -e $T/canary-fsmonitor ]]
}

@test "index - resolve-undo extension - after a resolved conflict" {
	export GIT_MERGE_AUTOEDIT=no
	git -C r checkout -q -b other
	printf 'theirs\n' > r/a/one.txt
	git -C r commit -q -a -m theirs
	git -C r checkout -q main
	printf 'ours\n' > r/a/one.txt
	git -C r commit -q -a -m ours
	run git -C r merge other
	assert_failure
	printf 'both\n' > r/a/one.txt
	git -C r add a/one.txt
	has_extension r REUC
	assert_git_agrees r
	assert_json conflicted 0
	assert_json staged 1
}

@test "index - end-of-index entry and offset table" {
	git -C r config index.recordEndOfIndexEntries true
	git -C r config index.recordOffsetTable true
	git -C r config index.threads 2
	changes r
	git -C r update-index --force-write-index
	has_extension r EOIE
	has_extension r IEOT
	assert_git_agrees r
}

@test "index - skip hash - zero trailer" {
	git -C r config index.skipHash true
	changes r
	git -C r update-index --force-write-index
	[[ $(tail -c 20 r/.git/index | od -An -tx1 | tr -d ' \n') == \
	    0000000000000000000000000000000000000000 ]] ||
		skip "git $(git version | cut -d' ' -f3) has no index.skipHash"
	assert_git_agrees r
}

@test "index - split index, untracked cache, fsmonitor - no writes" {
	fsmonitor_hook
	git -C r config core.splitIndex true
	git -C r config core.untrackedCache true
	git -C r config core.fsmonitor "$T/fsmonitor"
	git -C r update-index --split-index --untracked-cache --fsmonitor
	changes r
	git -C r status --porcelain >/dev/null
	printf 'edit again\n' >> r/b/three.txt
	touch -d '@1704067300' r/a/deep/two.txt
	assert_no_writes r r/.git
}

@test "index - version 4 - no writes with stat-dirty entries" {
	git -C r update-index --index-version 4
	touch -d '@1704067300' r/a/one.txt r/b/three.txt
	assert_no_writes r r/.git
}

# alt_index DIR FILE: FILE holds DIR's index plus a staged new file that
# the repository's own index does not have.
alt_index() {
	cp "$1/.git/index" "$2"
	printf 'only in the other index\n' > "$1/other.txt"
	GIT_INDEX_FILE=$2 git -C "$1" add other.txt
}

@test "index - GIT_INDEX_FILE - absolute path read instead, left unwritten" {
	alt_index r "$T/alt"
	touch -d '@1704067300' r/a/one.txt
	local before
	before=$(cksum < "$T/alt")
	export GIT_INDEX_FILE=$T/alt
	assert_git_agrees r
	assert_json staged 1
	assert_json untracked 0
	ATPROMPT_SCAN=libgit2 assert_git_agrees r
	assert_json staged 1
	[[ $(cksum < "$T/alt") == "$before" ]]
	[[ ! -e $T/alt.lock ]]
}

@test "index - GIT_INDEX_FILE - relative name taken from the top, as git" {
	alt_index r "$T/r/alt"
	export GIT_INDEX_FILE=alt
	assert_git_agrees r/a/deep
	assert_json staged 1
	ATPROMPT_SCAN=libgit2 assert_git_agrees r/a/deep
	assert_json staged 1
}

@test "index - GIT_INDEX_FILE - missing file reads as an empty index" {
	export GIT_INDEX_FILE=$T/none
	assert_git_agrees r/a
	((ORACLE_staged == 5))
	ATPROMPT_SCAN=libgit2 assert_git_agrees r/a
	[[ ! -e $T/none ]]
}

@test "index - GIT_INDEX_FILE - FIFO or directory refused, never waited on" {
	mkfifo "$T/fifo"
	local f
	for f in "$T/fifo" "$T"; do
		GIT_INDEX_FILE=$f run --separate-stderr timeout 10 \
		    "$ATPROMPT" -C r --json
		((status == 0))
		[[ $(jq -r .error <<<"$output") == *"not a regular file"* ]]
		GIT_INDEX_FILE=$f ATPROMPT_SCAN=libgit2 run --separate-stderr \
		    timeout 10 "$ATPROMPT" -C r --json
		((status == 0))
		[[ $(jq -r .error <<<"$output") == *"not a regular file"* ]]
	done
}

@test "index - GIT_INDEX_FILE - empty value reads no index, as git" {
	export GIT_INDEX_FILE=
	assert_git_agrees r
	((ORACLE_staged == 5))
	ATPROMPT_SCAN=libgit2 assert_git_agrees r
	[[ ! -e r/.lock ]]
}
