# The fast scan of the work tree: the index read directly, stat data
# compared the way git compares it, racy entries hashed, directories
# listed for untracked files, all of it split over threads.  git is
# the oracle; where git cannot say, atprompt's libgit2 scan
# (ATPROMPT_SCAN=libgit2) is.  The cache between prompts is turned off
# here so that every run scans; tests/cache.bats covers it.

bats_require_minimum_version 1.5.0
load helper

# A second of the past, for timestamps that must stay put.
PAST=1704067200

setup() {
	common_setup
	unset XDG_CACHE_HOME XDG_CONFIG_HOME ATPROMPT_SCAN
	export ATPROMPT_CACHE=0
	new_repo r
}

# many_files DIR N: a repository with N tracked files, forty to a
# directory, the directories two levels deep, committed.
many_files() {
	local dir=$1 n=$2 i d
	git init -q "$dir"
	for ((i = 0; i < n; i++)); do
		d=$dir/d$((i / 400))/e$((i / 40 % 10))
		if ((i % 40 == 0)); then
			mkdir -p "$d"
		fi
		printf '%d\n' "$i" > "$d/f$i"
	done
	git -C "$dir" add .
	git -C "$dir" commit -q -m many
}

# scan_line DIR: the scan line of --explain, in SCAN_LINE, and the
# number of threads it gives, in THREADS.
scan_line() {
	run --separate-stderr "$ATPROMPT" -C "$1" --explain
	if ((status != 0)) || [[ -n $stderr ]]; then
		echo "--explain in '$1': exit $status, stderr: $stderr"
		return 1
	fi
	SCAN_LINE=$(grep '^scan ' <<<"$output") ||
		{ echo "no scan line in:"; echo "$output"; return 1; }
	if [[ ! $SCAN_LINE =~ \ ([0-9]+)\ threads?\; ]]; then
		echo "no thread count in: $SCAN_LINE"
		return 1
	fi
	THREADS=${BASH_REMATCH[1]}
}

# assert_libgit2_agrees DIR: the fast scan and the libgit2 scan give
# the same counts, both complete.
assert_libgit2_agrees() {
	local fast slow field
	fast=$(atp -C "$1" --json) || return 1
	slow=$(ATPROMPT_SCAN=libgit2 atp -C "$1" --json) || return 1
	for field in staged unstaged untracked conflicted complete; do
		if [[ $(jq -r ".$field" <<<"$fast") != \
		    "$(jq -r ".$field" <<<"$slow")" ]]; then
			echo "field '$field' differs"
			echo "fast:    $fast"
			echo "libgit2: $slow"
			return 1
		fi
	done
}

# commit_aged DIR NAME...: write NAME... (their own name as content),
# date them at PAST, commit them.
commit_aged() {
	local dir=$1 f
	shift
	for f; do
		mkdir -p "$dir/$(dirname "$f")"
		printf '%s\n' "$f" > "$dir/$f"
	done
	(cd "$dir" && touch -d "@$PAST" -- "$@")
	git -C "$dir" add -- "$@"
	git -C "$dir" commit -q -m "add $*"
}

@test "scan - thousands of files - two threads, as git" {
	many_files big 5000
	printf 'changed\n' >> big/d0/e0/f0
	printf 'changed\n' >> big/d6/e2/f2485
	printf 'changed\n' >> big/d12/e4/f4999
	rm big/d3/e3/f1320
	printf 'new\n' > big/d0/e0/new
	printf 'new\n' > big/d12/e4/new
	mkdir big/d7/newdir
	printf 'new\n' > big/d7/newdir/x
	assert_git_agrees big
	assert_json unstaged 4
	assert_json untracked 3
	assert_libgit2_agrees big
	scan_line big
	want=$(nproc)
	((want > 2)) && want=2
	assert_equal "$THREADS" "$want"
}

@test "scan - a few files - one thread said" {
	scan_line r
	assert_equal "$THREADS" 1
}

@test "scan - one directory of 5000 files - split between threads" {
	mkdir r/big
	for ((i = 0; i < 5000; i++)); do
		printf '%d\n' "$i" > "r/big/f$i"
	done
	git -C r add big
	git -C r commit -q -m big
	printf 'changed\n' >> r/big/f2500
	printf 'changed\n' >> r/big/f4999
	printf 'new\n' > r/big/new
	assert_git_agrees r
	assert_json unstaged 2
	assert_json untracked 1
}

@test "scan - deep paths - 30 levels" {
	deep=r
	for ((i = 1; i <= 30; i++)); do
		deep=$deep/level$i
	done
	mkdir -p "$deep"
	printf 'deep\n' > "$deep/tracked"
	printf 'deep\n' > "$deep/kept"
	git -C r add .
	git -C r commit -q -m deep
	printf 'changed\n' >> "$deep/tracked"
	printf 'new\n' > "$deep/untracked"
	mkdir -p "$deep/newdir/deeper"
	printf 'new\n' > "$deep/newdir/deeper/x"
	assert_git_agrees r
	assert_json unstaged 1
	assert_json untracked 2
}

@test "scan - deep paths - 130 levels" {
	deep=r
	for ((i = 1; i <= 130; i++)); do
		deep=$deep/d$i
	done
	mkdir -p "$deep"
	printf 'deep\n' > "$deep/tracked"
	git -C r add .
	git -C r commit -q -m deep
	printf 'changed\n' >> "$deep/tracked"
	printf 'new\n' > "$deep/untracked"
	assert_git_agrees r
	assert_json unstaged 1
	assert_json untracked 1
}

@test "scan - tracked directory replaced by a symlink - files deleted" {
	commit_aged r a/one a/two a/sub/three
	mv r/a r/real
	ln -s real r/a
	assert_git_agrees r
	assert_json unstaged 3
}

@test "scan - tracked directory replaced by a symlink - same files" {
	commit_aged r a/one a/two
	mkdir "$BATS_TEST_TMPDIR/outside"
	cp -p r/a/one r/a/two "$BATS_TEST_TMPDIR/outside/"
	rm -r r/a
	ln -s "$BATS_TEST_TMPDIR/outside" r/a
	assert_git_agrees r
	assert_json unstaged 2
	assert_json untracked 1
}

@test "scan - directory became a file - tracked files inside deleted" {
	commit_aged r a/one a/b/two
	rm -r r/a
	printf 'now a file\n' > r/a
	assert_git_agrees r
	assert_json unstaged 2
	assert_json untracked 1
}

@test "scan - subdirectory became a file - sibling still compared" {
	commit_aged r a/keep a/b/two a/b/c/three
	rm -r r/a/b
	printf 'now a file\n' > r/a/b
	printf 'changed\n' >> r/a/keep
	assert_git_agrees r
	assert_json unstaged 3
	assert_json untracked 1
}

@test "scan - names - spaces, newlines and bytes that are not UTF-8" {
	dir=$'r/sp ace/new\nline/\xff\xfe'
	mkdir -p "$dir"
	printf 'a\n' > "$dir/one file"
	printf 'b\n' > "$dir/"$'two\nlines'
	printf 'c\n' > "$dir/"$'\xe9t\xe9'
	git -C r add .
	git -C r commit -q -m names
	printf 'changed\n' >> "$dir/one file"
	rm "$dir/"$'\xe9t\xe9'
	printf 'new\n' > "$dir/"$'un tracked\n\x80'
	mkdir "r/sp ace/"$'\xc3(dir'
	printf 'new\n' > "r/sp ace/"$'\xc3(dir/x'
	# In a UTF-8 locale bash's read swallows the NUL after a name
	# that ends in a lone lead byte (\xe9 above): read git's answer
	# byte by byte.
	LC_ALL=C assert_git_agrees r
	assert_json unstaged 2
	assert_json untracked 2
}

@test "scan - racy - same size, entry as new as the index" {
	git -C r config core.trustctime false
	commit_aged r racy.txt
	touch -r r/racy.txt "$BATS_TEST_TMPDIR/stamp"
	printf 'RACY.TXT\n' > r/racy.txt
	touch -r "$BATS_TEST_TMPDIR/stamp" r/racy.txt r/.git/index
	assert_git_agrees r
	assert_json unstaged 1
}

@test "scan - racy - unchanged, entry as new as the index" {
	git -C r config core.trustctime false
	commit_aged r racy.txt
	touch -r r/racy.txt r/.git/index
	assert_git_agrees r
	assert_json unstaged 0
}

@test "scan - touch only - same content is clean, and hashed" {
	commit_aged r a/one a/two b/three
	touch r/a/one r/b/three
	assert_git_agrees r
	assert_json unstaged 0
	scan_line r
	[[ $SCAN_LINE =~ \ ([0-9]+)\ hashed ]]
	((BASH_REMATCH[1] >= 2))
}

@test "scan - submodule - HEAD moved is unstaged" {
	new_repo sub
	git -C r submodule add -q "$BATS_TEST_TMPDIR/sub" sub
	git -C r commit -q -m sub
	printf 'more\n' >> r/sub/tracked.txt
	git -C r/sub commit -q -a -m moved
	assert_git_agrees r
	assert_json unstaged 1
}

@test "scan - submodule - dirty content only is ignored" {
	new_repo sub
	git -C r submodule add -q "$BATS_TEST_TMPDIR/sub" sub
	git -C r commit -q -m sub
	printf 'more\n' >> r/sub/tracked.txt
	printf 'new\n' > r/sub/untracked.txt
	assert_git_agrees r
	assert_json unstaged 0
	assert_json untracked 0
}

@test "scan - executable bit - core.fileMode true" {
	commit_aged r run.sh
	chmod +x r/run.sh
	assert_git_agrees r
	assert_json unstaged 1
}

@test "scan - executable bit - core.fileMode false" {
	git -C r config core.fileMode false
	commit_aged r run.sh
	chmod +x r/run.sh
	assert_git_agrees r
	assert_json unstaged 0
}

@test "scan - core.trustctime false - content changed, mtime kept" {
	git -C r config core.trustctime false
	commit_aged r file.txt
	printf 'FILE.TXT\n' > r/file.txt
	touch -d "@$PAST" r/file.txt
	assert_git_agrees r
}

@test "scan - core.trustctime false - mtime nanoseconds only" {
	git -C r config core.trustctime false
	printf 'aaaa\n' > r/file.txt
	touch -d "@$PAST.100000000" r/file.txt
	git -C r add file.txt
	git -C r commit -q -m file
	printf 'bbbb\n' > r/file.txt
	touch -d "@$PAST.600000000" r/file.txt
	assert_git_agrees r
}

@test "scan - core.checkStat minimal - mtime nanoseconds only" {
	git -C r config core.checkStat minimal
	printf 'aaaa\n' > r/file.txt
	touch -d "@$PAST.100000000" r/file.txt
	git -C r add file.txt
	git -C r commit -q -m file
	# A later second for ctime, which minimal must not look at.
	sleep 1.1
	printf 'bbbb\n' > r/file.txt
	touch -d "@$PAST.600000000" r/file.txt
	assert_git_agrees r
}

@test "scan - core.checkStat minimal - ctime changed only" {
	git -C r config core.checkStat minimal
	commit_aged r file.txt
	printf 'FILE.TXT\n' > r/file.txt
	touch -d "@$PAST" r/file.txt
	assert_git_agrees r
}

@test "scan - core.checkStat minimal - size changed" {
	git -C r config core.checkStat minimal
	commit_aged r file.txt
	printf 'longer now\n' > r/file.txt
	touch -d "@$PAST" r/file.txt
	assert_git_agrees r
	assert_json unstaged 1
}

@test "scan - assume-unchanged - modified file hidden" {
	commit_aged r a/hidden a/shown
	git -C r update-index --assume-unchanged a/hidden
	printf 'changed\n' >> r/a/hidden
	printf 'changed\n' >> r/a/shown
	assert_git_agrees r
	assert_json unstaged 1
}

@test "scan - skip-worktree - modified and deleted files hidden" {
	commit_aged r a/changed a/gone a/shown
	git -C r update-index --skip-worktree a/changed a/gone
	printf 'changed\n' >> r/a/changed
	rm r/a/gone
	rm r/a/shown
	assert_git_agrees r
	assert_json unstaged 1
	assert_json untracked 0
}

@test "scan - skip-worktree .gitignore - absent, read from the index" {
	commit_aged r c/.gitignore c/kept
	printf '*.log\n' > r/c/.gitignore
	git -C r add c/.gitignore
	git -C r commit -q -m ignore
	git -C r update-index --skip-worktree c/.gitignore
	rm r/c/.gitignore
	printf 'log\n' > r/c/x.log
	assert_git_agrees r
	assert_json untracked 0
}

@test "scan - tracked symlink - retargeted" {
	ln -s tracked.txt r/link
	ln -s tracked.txt r/kept
	git -C r add link kept
	git -C r commit -q -m links
	ln -sfn elsewhere r/link
	touch -h r/kept
	assert_git_agrees r
	assert_json unstaged 1
}

@test "scan - --timeout 1 - a big tree left incomplete, said once" {
	many_files big 20000
	printf 'new\n' > big/d0/e0/new
	printf 'changed\n' >> big/d49/e9/f19999
	run --separate-stderr "$ATPROMPT" -C big --json --timeout 1
	assert_success
	assert_equal "$stderr" ""
	json=$output
	GIT_OPTIONAL_LOCKS=0 git_oracle big
	if [[ $(jq -r .complete <<<"$json") == true ]]; then
		# Finished within the budget after all: then exact.
		assert_equal "$(jq -r .error <<<"$json")" null
		assert_equal "$(jq -r .untracked <<<"$json")" \
		    "$ORACLE_untracked"
		assert_equal "$(jq -r .unstaged <<<"$json")" \
		    "$ORACLE_unstaged"
	else
		error=$(jq -r .error <<<"$json")
		[[ $error != null && -n $error && $error != *$'\n'* ]]
		# The counts are lower bounds.
		for field in staged unstaged untracked; do
			got=$(jq -r ".$field" <<<"$json")
			want=ORACLE_$field
			((got <= ${!want}))
		done
		run --separate-stderr env NO_COLOR=1 "$ATPROMPT" -C big \
		    --shell plain --timeout 1
		assert_success
		assert_equal "$stderr" ""
	fi
	assert_git_agrees big
	assert_json unstaged 1
	assert_json untracked 1
}

@test "scan - status.showUntrackedFiles no - untracked not counted, as git" {
	printf 'new\n' > r/untracked.txt
	printf 'two\n' >> r/tracked.txt
	git -C r config status.showUntrackedFiles no
	[[ -z $(git -C r status --porcelain | grep '^??') ]]
	run --separate-stderr "$ATPROMPT" -C r --json
	assert_success
	[[ $(jq -r .untracked <<<"$output") == 0 ]]
	[[ $(jq -r .unstaged <<<"$output") == 1 ]]
	git -C r config status.showUntrackedFiles normal
	[[ $(json_field untracked -C r) == 1 ]]
}

@test "scan - libgit2 path - file times in whole seconds, as git" {
	[[ $("$ATPROMPT" --version) == *static* ]] ||
		skip "the system's libgit2 compares nanoseconds"
	git -C r config core.trustctime false
	printf 'aaaa\n' > r/file.txt
	touch -d "@$PAST.5" r/file.txt
	git -C r add file.txt
	git -C r commit -q -m file
	# Racy by the second only: the index is written in the same one.
	touch -d "@$PAST.6" r/.git/index
	printf 'bbbb\n' > r/file.txt
	touch -d "@$PAST.5" r/file.txt
	ATPROMPT_SCAN=libgit2 assert_git_agrees r
	assert_json unstaged 1
	# The other way: a change below the second, content as recorded.
	printf 'aaaa\n' > r/file.txt
	touch -d "@$PAST.7" r/file.txt
	touch -d "@$((PAST + 100))" r/.git/index
	ATPROMPT_SCAN=libgit2 assert_git_agrees r
	assert_json unstaged 0
}

@test "scan - hashing - attributes still looked up, directory by directory" {
	mkdir -p r/a r/b/c r/d
	printf '*.txt eol=crlf\n' > r/b/.gitattributes
	printf 'one\n' > r/a/1.txt
	printf 'two\r\n' > r/b/2.txt
	printf 'three\r\n' > r/b/c/3.txt
	printf 'four\r\n' > r/d/4.txt
	git -C r add .
	git -C r commit -q -m attributes
	# Same sizes, new times: only hashing can tell, and the CRLF files
	# hash as their blobs only through the eol attribute.
	touch -d "@$((PAST + 50))" r/a/1.txt r/b/2.txt r/b/c/3.txt r/d/4.txt
	assert_git_agrees r
	assert_json unstaged 0
	printf 'ONE\n' > r/a/1.txt
	printf 'TWO\r\n' > r/b/2.txt
	touch -d "@$((PAST + 60))" r/a/1.txt r/b/2.txt
	assert_git_agrees r
	assert_json unstaged 2
	# An attribute from info/attributes reaches every directory.
	git -C r checkout -q -- .
	printf 'd/*.txt eol=crlf\n' > r/.git/info/attributes
	git -C r rm -q --cached d/4.txt
	git -C r add d/4.txt
	git -C r commit -q -m d
	touch -d "@$((PAST + 70))" r/d/4.txt r/a/1.txt
	assert_git_agrees r
	assert_json unstaged 0
}

# crlf_on_disk DIR: file.txt stored with LF, on disk with CRLF, the
# index holding the CRLF size, then touched: only a hash that converts
# line ends finds it unchanged.
crlf_on_disk() {
	mkdir -p "$1/sub"
	printf 'keep\n' > "$1/sub/keep"
	printf 'a\nb\n' > "$1/file.txt"
	git -C "$1" add .
	git -C "$1" commit -q -m lf
	printf 'a\r\nb\r\n' > "$1/file.txt"
	git -C "$1" -c core.autocrlf=true add file.txt
	touch -d "@$((PAST + 80))" "$1/file.txt"
}

@test "scan - hashing - core.autocrlf written bare is true" {
	crlf_on_disk r
	printf '[core]\n\tautocrlf\n' >> r/.git/config
	assert_git_agrees r
	assert_json unstaged 0
}

@test "scan - hashing - a relative core.attributesFile, from the top" {
	crlf_on_disk r
	printf '* text\n' > r/attrs
	printf 'attrs\n' >> r/.git/info/exclude
	git -C r config core.attributesFile attrs
	assert_git_agrees r/sub
	assert_json unstaged 0
}

@test "scan - hashing - a .gitattributes that is a symbolic link is not read" {
	crlf_on_disk r
	printf '* text\n' > "$BATS_TEST_TMPDIR/attrs"
	ln -s "$BATS_TEST_TMPDIR/attrs" r/.gitattributes
	printf '.gitattributes\n' >> r/.git/info/exclude
	assert_git_agrees r
	assert_json unstaged 1
}
