# The cache kept between prompts: what each tracked directory held the
# last time it was listed, reused while its mtime, the tracked paths
# and the ignore rules stay the same.  Every test first makes the
# directories old enough to be cached, fills the cache with one run,
# changes the tree, and then requires git's answer from the run that
# meets the stale cache and from the one after it.  --explain's scan
# line tells how many directories were listed again.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	unset XDG_CACHE_HOME XDG_CONFIG_HOME ATPROMPT_CACHE ATPROMPT_SCAN
	CACHE_DIR=$HOME/.cache/atprompt
	new_repo r
}

teardown() {
	# The read-only case leaves a directory bats could not clean.
	if [[ -d $CACHE_DIR ]]; then
		chmod 700 "$CACHE_DIR"
	fi
}

# populate DIR: tracked files in seven directories (the top one
# included), untracked files beside them but never a directory of
# their own, so that every directory may be cached, and a tracked
# .gitignore in c/.  git counts five untracked files.
populate() {
	local dir=$1 f
	for f in a/one.txt a/b/two.txt c/three.txt d/e/f/four.txt; do
		mkdir -p "$dir/${f%/*}"
		printf '%s\n' "$f" > "$dir/$f"
	done
	printf '*.log\n*.tmp\n' > "$dir/c/.gitignore"
	git -C "$dir" add .
	git -C "$dir" commit -q -m populate
	for f in a/u1.txt a/b/u5.txt c/u2.txt c/u3.txt c/skip.log \
	    d/e/u4.txt; do
		printf 'untracked\n' > "$dir/$f"
	done
}

# age DIR [DATE]: date every file and directory of the work tree an
# hour back (or at DATE, as touch -d reads it) and refresh the index to
# match, so that each directory's listing is old enough to be kept.
age() {
	find "$1" -path "$1/.git" -prune -o \
	    -exec touch -h -d "${2:-"-1 hour"}" {} +
	git -C "$1" update-index -q --unmerged --refresh
}

# fill DIR: age DIR, fill the cache with one run, and check that the
# next run lists no directory at all.
fill() {
	age "$1"
	atp_json "$1" || return 1
	explain_scan "$1" || return 1
	if ((CACHE_USED != 1 || LISTED != 0)); then
		echo "a second run still lists: $SCAN_LINE"
		return 1
	fi
}

# explain_scan DIR: read the scan line of atprompt --explain into
# SCAN_LINE, LISTED (directories listed), FROM_CACHE and CACHE_USED (0
# when the line says no cache was used).  The cache directory is put
# back as it was, so that the next run meets the cache this one met.
explain_scan() {
	local dir=$1 saved=$BATS_TEST_TMPDIR/cache-saved
	rm -rf "$saved"
	if [[ -e $CACHE_DIR ]]; then
		cp -a "$CACHE_DIR" "$saved"
	fi
	run --separate-stderr "$ATPROMPT" -C "$dir" --explain
	rm -rf "$CACHE_DIR"
	if [[ -e $saved ]]; then
		mv "$saved" "$CACHE_DIR"
	fi
	if ((status != 0)) || [[ -n $stderr ]]; then
		echo "--explain in '$dir': exit $status, stderr: $stderr"
		return 1
	fi
	SCAN_LINE=$(grep '^scan ' <<<"$output") ||
		{ echo "no scan line in:"; echo "$output"; return 1; }
	if [[ ! $SCAN_LINE =~ ([0-9]+)\ listed,\ ([0-9]+)\ from\ the ]]; then
		echo "unexpected scan line: $SCAN_LINE"
		return 1
	fi
	LISTED=${BASH_REMATCH[1]}
	FROM_CACHE=${BASH_REMATCH[2]}
	CACHE_USED=1
	if [[ $SCAN_LINE == *"(none)"* ]]; then
		CACHE_USED=0
	fi
}

# agrees_twice DIR: git's answer from the run that meets the cache as
# it is, and again from the run after it, which meets the cache the
# first one wrote.
agrees_twice() {
	assert_git_agrees "$1" || return 1
	assert_git_agrees "$1"
}

# cache_file: the one cache file in CACHE_DIR, in CACHE_FILE.
cache_file() {
	local files=("$CACHE_DIR"/*.dirs)
	if ((${#files[@]} != 1)) || [[ ! -f ${files[0]} ]]; then
		echo "want one cache file in $CACHE_DIR, found:"
		ls -la "$CACHE_DIR"
		return 1
	fi
	CACHE_FILE=${files[0]}
}

# untracked_now DIR: git's count of untracked entries.
untracked_now() {
	GIT_OPTIONAL_LOCKS=0 git_oracle "$1"
	echo "$ORACLE_untracked"
}

# flip_byte FILE OFFSET: invert every bit of one byte, in place.
flip_byte() {
	local byte
	byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf '%b' "\\$(printf '%03o' $((255 - byte)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

@test "cache - unchanged tree - second run lists nothing" {
	populate r
	fill r
	assert_equal "$FROM_CACHE" 7
	agrees_twice r
	assert_json untracked 5
}

@test "cache - unchanged tree - prompt fills it, --json exact after" {
	populate r
	age r
	plain_prompt r
	agrees_twice r
	assert_json untracked 5
}

@test "cache - new untracked file - only its directory listed again" {
	populate r
	fill r
	printf 'new\n' > r/a/b/new.txt
	explain_scan r
	assert_equal "$LISTED" 1
	agrees_twice r
	assert_json untracked 6
}

@test "cache - untracked file removed - no longer counted" {
	populate r
	fill r
	rm r/c/u2.txt
	explain_scan r
	assert_equal "$LISTED" 1
	agrees_twice r
	assert_json untracked 4
}

@test "cache - tracked file removed - unstaged, untracked unchanged" {
	populate r
	fill r
	rm r/d/e/f/four.txt
	agrees_twice r
	assert_json unstaged 1
}

@test "cache - git add of a file already there - directory unchanged" {
	populate r
	fill r
	before=$(stat -c %y r/c)
	git -C r add c/u2.txt
	assert_equal "$(stat -c %y r/c)" "$before"
	agrees_twice r
	assert_json staged 1
	assert_json untracked 4
}

@test "cache - git rm --cached - file counted as untracked" {
	populate r
	fill r
	before=$(stat -c %y r/a)
	git -C r rm -q --cached a/one.txt
	assert_equal "$(stat -c %y r/a)" "$before"
	agrees_twice r
	assert_json untracked 6
}

@test "cache - tracked .gitignore edited in place - new pattern applies" {
	populate r
	fill r
	want=$(untracked_now r)
	printf 'u3.txt\n' >> r/c/.gitignore
	touch -d '-1 hour' r/c r/c/.gitignore
	[[ $(untracked_now r) != "$want" ]]
	explain_scan r
	((LISTED >= 1))
	agrees_twice r
}

@test "cache - tracked .gitignore rewritten - same size and mtime" {
	populate r
	fill r
	want=$(untracked_now r)
	touch -r r/c/.gitignore "$BATS_TEST_TMPDIR/stamp"
	size=$(stat -c %s r/c/.gitignore)
	printf '*.log\nu2.t*\n' > r/c/.gitignore
	touch -r "$BATS_TEST_TMPDIR/stamp" r/c/.gitignore
	assert_equal "$(stat -c %s r/c/.gitignore)" "$size"
	# Staged afresh, so that git's whole-second view of the change
	# in ctime cannot make the counts depend on timing.
	git -C r rm -q --cached c/.gitignore
	git -C r add c/.gitignore
	[[ $(untracked_now r) != "$want" ]]
	agrees_twice r
}

@test "cache - tracked .gitignore removed - its pattern gone" {
	populate r
	fill r
	rm r/c/.gitignore
	touch -d '-1 hour' r/c
	agrees_twice r
	assert_json untracked 6
}

@test "cache - conflicted .gitignore - edited to resolve" {
	mkdir r/c
	printf 'base\n' > r/c/.gitignore
	printf 'kept\n' > r/c/kept.txt
	git -C r add c
	git -C r commit -q -m base
	git -C r checkout -q -b other
	printf 'theirs\n' > r/c/.gitignore
	git -C r commit -q -a -m theirs
	git -C r checkout -q main
	printf 'ours\n' > r/c/.gitignore
	git -C r commit -q -a -m ours
	run git -C r merge -q other
	assert_failure
	printf 'untracked\n' > r/c/u.txt
	age r
	atp_json r
	printf 'u.txt\n' > r/c/.gitignore
	touch -d '-1 hour' r/c/.gitignore
	assert_equal "$(untracked_now r)" 0
	agrees_twice r
}

@test "cache - info/exclude edited - new pattern applies" {
	populate r
	fill r
	printf 'u1.txt\n' >> r/.git/info/exclude
	agrees_twice r
	assert_json untracked 4
}

@test "cache - core.excludesFile set - its patterns apply" {
	populate r
	printf 'u4.txt\n' > "$HOME/ignore-list"
	fill r
	git -C r config core.excludesFile "$HOME/ignore-list"
	agrees_twice r
	assert_json untracked 4
}

@test "cache - core.excludesFile set globally - its patterns apply" {
	populate r
	printf 'u4.txt\n' > "$HOME/ignore-list"
	fill r
	git config --global core.excludesFile "$HOME/ignore-list"
	agrees_twice r
	assert_json untracked 4
}

@test "cache - excludes file edited - new pattern applies" {
	populate r
	printf '# nothing yet\n' > "$HOME/ignore-list"
	git -C r config core.excludesFile "$HOME/ignore-list"
	fill r
	printf 'u5.txt\n' >> "$HOME/ignore-list"
	agrees_twice r
	assert_json untracked 4
}

@test "cache - excludes file behind a symlink - target edited" {
	populate r
	mkdir "$HOME/dotfiles"
	printf '# nothing yet\n' > "$HOME/dotfiles/ignore"
	ln -s dotfiles/ignore "$HOME/ignore-list"
	git -C r config core.excludesFile "$HOME/ignore-list"
	fill r
	printf 'u5.txt\n' >> "$HOME/dotfiles/ignore"
	assert_equal "$(untracked_now r)" 4
	agrees_twice r
}

@test "cache - user ignore file under XDG_CONFIG_HOME - created" {
	export XDG_CONFIG_HOME=$HOME/xdg-config
	mkdir -p "$XDG_CONFIG_HOME/git"
	populate r
	fill r
	printf 'u2.txt\n' > "$XDG_CONFIG_HOME/git/ignore"
	agrees_twice r
	assert_json untracked 4
}

@test "cache - untracked .gitignore in a parent - subdirectories cached" {
	populate r
	fill r
	printf 'u*.txt\n' > r/a/.gitignore
	touch -d '-1 hour' r/a/b
	explain_scan r
	((LISTED >= 2))
	agrees_twice r
	assert_json untracked 4
}

@test "cache - untracked .gitignore at the top - every directory cached" {
	populate r
	fill r
	printf 'u[1-4].txt\n' > r/.gitignore
	touch -d '-1 hour' r/a r/a/b r/c r/d r/d/e r/d/e/f
	agrees_twice r
	assert_json untracked 2
}

@test "cache - untracked directory emptied - no longer counted" {
	populate r
	mkdir r/a/new
	printf 'x\n' > r/a/new/x.txt
	age r
	atp_json r
	assert_json untracked 6
	before=$(stat -c %y r/a)
	rm r/a/new/x.txt
	assert_equal "$(stat -c %y r/a)" "$before"
	agrees_twice r
	assert_json untracked 5
}

@test "cache - empty untracked directory - a file appears in it" {
	populate r
	mkdir r/a/new
	age r
	atp_json r
	assert_json untracked 5
	printf 'x\n' > r/a/new/x.txt
	agrees_twice r
	assert_json untracked 6
}

@test "cache - untracked directory - a file appears two levels down" {
	populate r
	mkdir -p r/a/new/deeper
	age r
	atp_json r
	printf 'x\n' > r/a/new/deeper/x.txt
	agrees_twice r
	assert_json untracked 6
}

@test "cache - directory dated in the future - its listing not kept" {
	populate r
	age r
	touch -d '+1 hour' r/c
	touch -r r/c "$BATS_TEST_TMPDIR/stamp"
	atp_json r
	explain_scan r
	assert_equal "$LISTED" 1
	printf 'new\n' > r/c/new.txt
	touch -r "$BATS_TEST_TMPDIR/stamp" r/c
	agrees_twice r
	assert_json untracked 6
}

@test "cache - branch switched - answer still git's" {
	populate r
	git -C r checkout -q -b other
	printf 'other\n' > r/a/other.txt
	git -C r add a/other.txt
	git -C r commit -q -m other
	git -C r checkout -q main
	fill r
	git -C r checkout -q other
	agrees_twice r
	git -C r checkout -q main
	agrees_twice r
}

@test "cache - corrupt file - truncated" {
	populate r
	fill r
	cache_file
	truncate -s $(($(stat -c %s "$CACHE_FILE") / 2)) "$CACHE_FILE"
	printf 'new\n' > r/d/new.txt
	explain_scan r
	assert_equal "$CACHE_USED" 0
	agrees_twice r
}

@test "cache - corrupt file - empty" {
	populate r
	fill r
	cache_file
	: > "$CACHE_FILE"
	explain_scan r
	assert_equal "$CACHE_USED" 0
	agrees_twice r
}

@test "cache - corrupt file - random bytes of the same size" {
	populate r
	fill r
	cache_file
	size=$(stat -c %s "$CACHE_FILE")
	head -c "$size" /dev/urandom > "$CACHE_FILE"
	explain_scan r
	assert_equal "$CACHE_USED" 0
	agrees_twice r
}

@test "cache - corrupt file - one byte flipped at each of three places" {
	populate r
	fill r
	cache_file
	cp "$CACHE_FILE" "$BATS_TEST_TMPDIR/good"
	size=$(stat -c %s "$CACHE_FILE")
	for offset in 8 $((size / 2)) $((size - 12)); do
		cp "$BATS_TEST_TMPDIR/good" "$CACHE_FILE"
		flip_byte "$CACHE_FILE" "$offset"
		explain_scan r
		assert_equal "$CACHE_USED/$offset" "0/$offset"
		assert_git_agrees r
	done
}

@test "cache - another work tree's file - ignored" {
	populate r
	git clone -q r r2
	age r2 @1704067200
	atp_json r2
	cache_file
	mv "$CACHE_FILE" "$BATS_TEST_TMPDIR/theirs"
	age r @1704067200
	atp_json r
	cache_file
	cp "$BATS_TEST_TMPDIR/theirs" "$CACHE_FILE"
	explain_scan r
	assert_equal "$CACHE_USED" 0
	agrees_twice r
	assert_json untracked 5
}

@test "cache - symlink in its place - not followed" {
	populate r
	fill r
	cache_file
	mv "$CACHE_FILE" "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$CACHE_FILE"
	sum=$(sha1sum < "$BATS_TEST_TMPDIR/elsewhere")
	explain_scan r
	assert_equal "$CACHE_USED" 0
	agrees_twice r
	assert_equal "$(sha1sum < "$BATS_TEST_TMPDIR/elsewhere")" "$sum"
}

@test "cache - file of another owner - ignored" {
	if (($(id -u) != 0)); then
		skip "only root can give the cache file to another user"
	fi
	populate r
	fill r
	cache_file
	chown 65534:65534 "$CACHE_FILE"
	explain_scan r
	assert_equal "$CACHE_USED" 0
	agrees_twice r
}

@test "cache - directory read-only - right answer, quiet" {
	if (($(id -u) == 0)); then
		skip "root writes through mode 500; the run as a user covers it"
	fi
	populate r
	fill r
	chmod 500 "$CACHE_DIR"
	printf 'new\n' > r/a/new.txt
	agrees_twice r
	assert_json untracked 6
	plain_prompt r
	run ls -A "$CACHE_DIR"
	assert_output --regexp '^[0-9a-f]{16}\.dirs$'
}

@test "cache - no place for it - .cache is a file" {
	populate r
	printf 'not a directory\n' > "$HOME/.cache"
	age r
	agrees_twice r
	plain_prompt r
	assert_equal "$(cat "$HOME/.cache")" "not a directory"
}

@test "cache - XDG_CACHE_HOME - honoured" {
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/xdg-cache
	CACHE_DIR=$XDG_CACHE_HOME/atprompt
	populate r
	fill r
	cache_file
	[[ ${CACHE_FILE##*/} =~ ^[0-9a-f]{16}\.dirs$ ]]
	[[ ! -e $HOME/.cache ]]
	agrees_twice r
}

@test "cache - relative XDG_CACHE_HOME - ignored" {
	export XDG_CACHE_HOME=relative-cache
	populate r
	age r
	atp_json r
	(cd r && atp --json >/dev/null)
	[[ ! -e relative-cache && ! -e r/relative-cache ]]
	cache_file
	explain_scan r
	assert_equal "$LISTED" 0
}

@test "cache - repository - never written" {
	populate r
	age r
	before=$(gitdir_snapshot r)
	for _ in fill again; do
		atp_json r
		plain_prompt r
		run --separate-stderr "$ATPROMPT" -C r --explain
		assert_success
		run --separate-stderr "$ATPROMPT" -C r/a/b --shell bash
		assert_success
	done
	assert_equal "$(gitdir_snapshot r)" "$before"
	printf 'new\n' > r/a/b/new.txt
	before=$(gitdir_snapshot r)
	atp_json r
	plain_prompt r
	assert_equal "$(gitdir_snapshot r)" "$before"
	[[ -z $(find r -name '*.dirs*') ]]
}

@test "cache - linked worktree - a cache file of its own" {
	populate r
	git -C r worktree add -q ../w
	printf 'only in w\n' > w/c/w-only.txt
	age r
	age w
	atp_json r
	atp_json w
	files=("$CACHE_DIR"/*.dirs)
	assert_equal "${#files[@]}" 2
	explain_scan r
	assert_equal "$LISTED" 0
	explain_scan w
	assert_equal "$LISTED" 0
	agrees_twice r
	assert_json untracked 5
	agrees_twice w
	assert_json untracked 1
	printf 'new\n' > w/a/new.txt
	agrees_twice w
	assert_json untracked 2
	agrees_twice r
	assert_json untracked 5
}

@test "cache - ATPROMPT_CACHE=0 - every directory listed, nothing kept" {
	populate r
	age r
	ATPROMPT_CACHE=0 atp -C r --json >/dev/null
	[[ ! -e $CACHE_DIR ]] || [[ -z $(ls -A "$CACHE_DIR") ]]
	fill r
	ATPROMPT_CACHE=0 explain_scan r
	assert_equal "$CACHE_USED $LISTED" "0 7"
	ATPROMPT_CACHE=0 assert_git_agrees r
}

@test "cache - turned off - no directory said to come from it" {
	populate r
	rm -r r/d
	ATPROMPT_CACHE=0 explain_scan r
	assert_equal "$CACHE_USED $FROM_CACHE" "0 0"
	ATPROMPT_CACHE=0 assert_git_agrees r
}

@test "cache - --json counts - exact across several directories" {
	populate r
	fill r
	printf 'x\n' > r/a/b/x1.txt
	printf 'x\n' > r/a/b/x2.txt
	printf 'x\n' > r/d/x3.txt
	mkdir r/d/e/f/newdir
	printf 'x\n' > r/d/e/f/newdir/x4.txt
	agrees_twice r
	assert_json untracked 9
	printf 'staged\n' > r/c/staged.txt
	git -C r add c/staged.txt
	printf 'more\n' >> r/a/one.txt
	agrees_twice r
	assert_json untracked 9
}

@test "cache - parallel runs - one whole cache file" {
	populate r
	age r
	pids=()
	for i in 1 2 3 4 5 6; do
		"$ATPROMPT" -C r --json > "out$i" 2> "err$i" &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid"
	done
	for i in 1 2 3 4 5 6; do
		[[ ! -s err$i ]]
		assert_equal "$(jq -r .untracked "out$i")" 5
	done
	cache_file
	run ls -A "$CACHE_DIR"
	assert_output "${CACHE_FILE##*/}"
	explain_scan r
	assert_equal "$CACHE_USED $LISTED" "1 0"
}

@test "cache - directory split between threads - new file seen" {
	mkdir r/big
	for ((i = 0; i < 5000; i++)); do
		printf '%d\n' "$i" > "r/big/f$i"
	done
	git -C r add big
	git -C r commit -q -m big
	printf 'u\n' > r/big/untracked.txt
	fill r
	printf 'new\n' > r/big/new.txt
	explain_scan r
	assert_equal "$LISTED" 1
	agrees_twice r
	assert_json untracked 2
}

@test "cache - home directory kept in git - not written there, however spelt" {
	local t home
	t=$(cd "$BATS_TEST_TMPDIR" && pwd -P)
	populate r
	age r
	ln -s r "$t/link"
	for home in "$t/r" "$t/link" "$t//r" "$t/r/." "$t/r/a/.." \
	    "$t/link/"; do
		HOME=$home atp_json r
		HOME=$home atp_json link/a
		HOME=$home assert_git_agrees r
		[[ ! -e r/.cache ]] ||
			{ echo "a cache in the work tree with HOME=$home"; false; }
	done
}

@test "cache - XDG_CACHE_HOME inside .git - not written there" {
	populate r
	age r
	before=$(gitdir_snapshot r/.git)
	for dir in r/.git r/.git/x "$PWD/r/.git/" "$PWD/r/.git/cache"; do
		XDG_CACHE_HOME=$dir atp_json r
		XDG_CACHE_HOME=$dir atp_json r
	done
	assert_equal "$(gitdir_snapshot r/.git)" "$before"
}

@test "cache - a git directory not named .git - not written there" {
	local t
	t=$(cd "$BATS_TEST_TMPDIR" && pwd -P)
	git init -q --separate-git-dir "$t/sep" s
	populate s
	age s
	git clone -q --bare s "$t/bare.git"
	git -C "$t/bare.git" worktree add -q "$t/wt" 2>/dev/null
	mkdir -p "$t/wt/c"
	printf 'untracked\n' > "$t/wt/c/u.txt"
	local before_sep before_bare
	before_sep=$(gitdir_snapshot "$t/sep")
	before_bare=$(gitdir_snapshot "$t/bare.git")
	for dir in "$t/sep" "$t/sep/info"; do
		XDG_CACHE_HOME=$dir assert_git_agrees s
		HOME=$dir assert_git_agrees s
	done
	for dir in "$t/bare.git" "$t/bare.git/worktrees"; do
		XDG_CACHE_HOME=$dir assert_git_agrees wt
		HOME=$dir assert_git_agrees wt
	done
	assert_equal "$(gitdir_snapshot "$t/sep")" "$before_sep"
	assert_equal "$(gitdir_snapshot "$t/bare.git")" "$before_bare"
}
