# The three @ markers: which one lights for which state, in which
# colour and order, and the ? that says the scan could not finish.
# Expected bytes come from tput for the test's TERM, never typed in.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	# git status must not refresh the index it is compared against.
	export GIT_OPTIONAL_LOCKS=0
	RED=$(tput setaf 1) GREEN=$(tput setaf 2) BLUE=$(tput setaf 4)
	RESET=$(tput sgr0)
	new_repo r
}

# mark COLOUR [TEXT]: one marker as atprompt draws it for a terminal.
mark() {
	printf '%s%s%s' "$1" "${2-@}" "$RESET"
}

# markers_from_git DIR: set WANT to the markers git's own status calls
# for, and the ORACLE_* counts with it.
markers_from_git() {
	local out= sep=
	git_oracle "$1"
	if ((ORACLE_untracked > 0)); then
		out+=$(mark "$RED")
		sep=' '
	fi
	if ((ORACLE_staged > 0)); then
		out+=$sep$(mark "$GREEN")
		sep=' '
	fi
	if ((ORACLE_unstaged > 0)); then
		out+=$sep$(mark "$BLUE")
	fi
	WANT=$out
}

# assert_markers WANT: atprompt's markers for r are exactly WANT, with
# nothing on stderr.
assert_markers() {
	run --separate-stderr atp -C r --format '%m'
	assert_success
	assert_equal "$stderr" ""
	assert_output "$1"
}

# make_conflict [FILE...]: r is in a merge that stopped on a conflict
# in tracked.txt; each FILE arrived cleanly from the other side.
make_conflict() {
	local f
	git -C r checkout -q -b side
	printf 'side\n' > r/tracked.txt
	for f in "$@"; do
		printf 'other\n' > "r/$f"
	done
	git -C r add tracked.txt "$@"
	git -C r commit -q -m side
	git -C r checkout -q main
	printf 'main\n' > r/tracked.txt
	git -C r commit -q -a -m main
	run git -C r merge side
	assert_failure
}

@test "markers - clean repository - none" {
	assert_markers ""
	run --separate-stderr atp -C r
	assert_success
	assert_equal "$stderr" ""
	refute_output --partial "@$RESET"
	[[ $(strip_sgr <<<"$output") == *" (main) > " ]]
}

@test "markers - untracked file - red alone" {
	printf 'new\n' > r/new.txt
	assert_markers "$(mark "$RED")"
}

@test "markers - staged change - green alone" {
	printf 'two\n' >> r/tracked.txt
	git -C r add tracked.txt
	assert_markers "$(mark "$GREEN")"
}

@test "markers - staged new file - green alone" {
	printf 'new\n' > r/new.txt
	git -C r add new.txt
	assert_markers "$(mark "$GREEN")"
}

@test "markers - unstaged change - blue alone" {
	printf 'two\n' >> r/tracked.txt
	assert_markers "$(mark "$BLUE")"
}

@test "markers - unstaged deletion - blue alone" {
	rm r/tracked.txt
	assert_markers "$(mark "$BLUE")"
}

@test "markers - all three - red green blue in order" {
	printf 'new\n' > r/untracked.txt
	printf 'staged\n' > r/staged.txt
	git -C r add staged.txt
	printf 'two\n' >> r/tracked.txt
	assert_markers "$(mark "$RED") $(mark "$GREEN") $(mark "$BLUE")"
}

@test "markers - all three - default look ends with them" {
	printf 'new\n' > r/untracked.txt
	printf 'staged\n' > r/staged.txt
	git -C r add staged.txt
	printf 'two\n' >> r/tracked.txt
	run --separate-stderr atp -C r
	assert_success
	assert_equal "$stderr" ""
	[[ $output == *") $(mark "$RED") $(mark "$GREEN") $(mark "$BLUE") > " ]]
	[[ $(strip_sgr <<<"$output") == *" (main) @ @ @ > " ]]
}

@test "markers - untracked and unstaged - green left out" {
	printf 'new\n' > r/new.txt
	printf 'two\n' >> r/tracked.txt
	assert_markers "$(mark "$RED") $(mark "$BLUE")"
}

@test "markers - untracked and staged - blue left out" {
	printf 'new\n' > r/new.txt
	printf 'two\n' >> r/tracked.txt
	git -C r add tracked.txt
	assert_markers "$(mark "$RED") $(mark "$GREEN")"
}

@test "markers - staged then modified again - green and blue" {
	printf 'two\n' >> r/tracked.txt
	git -C r add tracked.txt
	printf 'three\n' >> r/tracked.txt
	assert_markers "$(mark "$GREEN") $(mark "$BLUE")"
}

@test "markers - many changes of each kind - each marker once" {
	local i
	for i in 1 2 3 4 5; do
		printf '%s\n' "$i" > "r/f$i"
		git -C r add "f$i"
	done
	git -C r commit -q -m five
	for i in 1 2 3; do
		printf 'new\n' > "r/u$i"
		printf 'more\n' >> "r/f$i"
	done
	git -C r add f1 f2
	printf 'again\n' >> r/f1
	printf 'x\n' >> r/f4
	assert_markers "$(mark "$RED") $(mark "$GREEN") $(mark "$BLUE")"
}

@test "markers - intent to add - blue, as git" {
	printf 'new\n' > r/new.txt
	git -C r add -N new.txt
	markers_from_git r
	assert_equal "$WANT" "$(mark "$BLUE")"
	assert_markers "$WANT"
}

@test "markers - ignored file - none" {
	printf '*.log\n' > r/.gitignore
	git -C r add .gitignore
	git -C r commit -q -m ignore
	printf 'noise\n' > r/debug.log
	assert_markers ""
}

@test "markers - directory of ignored files only - none" {
	printf '*.log\n' > r/.gitignore
	git -C r add .gitignore
	git -C r commit -q -m ignore
	mkdir -p r/logs/old
	printf 'noise\n' > r/logs/a.log
	printf 'noise\n' > r/logs/old/b.log
	assert_markers ""
}

@test "markers - empty untracked directory - none" {
	mkdir -p r/empty/deeper
	assert_markers ""
}

@test "markers - untracked file deep in a new directory - red" {
	mkdir -p r/a/b/c
	printf 'x\n' > r/a/b/c/file
	assert_markers "$(mark "$RED")"
}

@test "markers - touched but unchanged file - none" {
	touch -d '2030-01-01 00:00:00' r/tracked.txt
	assert_markers ""
}

@test "markers - unborn branch with nothing - none" {
	git init -q u
	run --separate-stderr atp -C u --format '%m'
	assert_success
	assert_equal "$stderr" ""
	assert_output ""
}

@test "markers - conflict alone - none, as git" {
	make_conflict
	markers_from_git r
	assert_equal "$ORACLE_conflicted" 1
	assert_equal "$WANT" ""
	assert_markers "$WANT"
}

@test "markers - conflict beside a cleanly merged file - green, as git" {
	make_conflict other.txt
	markers_from_git r
	assert_equal "$ORACLE_conflicted" 1
	assert_equal "$WANT" "$(mark "$GREEN")"
	assert_markers "$WANT"
}

@test "markers - conflict with untracked and unstaged - agrees with git" {
	printf 'base\n' > r/second.txt
	git -C r add second.txt
	git -C r commit -q -m second
	make_conflict other.txt
	printf 'new\n' > r/new.txt
	printf 'edit\n' >> r/second.txt
	markers_from_git r
	assert_equal "$ORACLE_conflicted" 1
	assert_equal "$ORACLE_unstaged" 1
	assert_markers "$WANT"
}

@test "markers - conflict resolved in the work tree - agrees with git" {
	make_conflict
	printf 'resolved\n' > r/tracked.txt
	markers_from_git r
	assert_markers "$WANT"
}

@test "markers - modify/delete conflict - agrees with git" {
	git -C r checkout -q -b side
	git -C r rm -q tracked.txt
	git -C r commit -q -m gone
	git -C r checkout -q main
	printf 'changed\n' > r/tracked.txt
	git -C r commit -q -a -m changed
	run git -C r merge side
	assert_failure
	markers_from_git r
	assert_equal "$ORACLE_conflicted" 1
	assert_markers "$WANT"
}

@test "markers - corrupt index - ? and no @" {
	printf 'new\n' > r/new.txt
	head -c 40 r/.git/index > r/index.part
	mv r/index.part r/.git/index
	run --separate-stderr atp -C r --format '%m'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(strip_sgr <<<"$output")" "?"
	run --separate-stderr atp -C r
	assert_success
	assert_equal "$stderr" ""
	[[ $(strip_sgr <<<"$output") == *" (main) ? > " ]]
}

@test "markers - index cut to a few bytes - ? and no @" {
	truncate -s 10 r/.git/index
	run --separate-stderr atp -C r --format '%m'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(strip_sgr <<<"$output")" "?"
}

@test "markers - unreadable HEAD - what it could read, then ?" {
	# A HEAD that cannot be read leaves the work tree readable: the
	# untracked file still lights red, and ? follows it.
	printf 'new\n' > r/new.txt
	printf 'ref: refs/heads/bad\001name\n' > r/.git/HEAD
	run --separate-stderr atp -C r --format '%m'
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(strip_sgr <<<"$output")" "@ ?"
	[[ $output == "$(mark "$RED") "* ]]
}

@test "markers - outside a repository - none" {
	mkdir plain
	printf 'x\n' > plain/file
	run --separate-stderr atp -C plain --format '%m'
	assert_success
	assert_equal "$stderr" ""
	assert_output ""
}
