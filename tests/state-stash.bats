# Repository state: stash entries.  None, one, many, after a drop, with
# the stash ref packed, and seen from a linked worktree that shares the
# main repository's stash.  git status --show-stash is the oracle.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	new_repo r
}

# stash_n DIR N: N stash entries, each from its own change.
stash_n() {
	local i
	for ((i = 1; i <= $2; i++)); do
		printf 'change %d\n' "$i" >> "$1/tracked.txt"
		git -C "$1" stash -q
	done
}

@test "stash - none - clean repository" {
	assert_git_agrees r
	assert_json stashes 0
}

@test "stash - one - tracked change stashed" {
	stash_n r 1
	assert_git_agrees r
	assert_json stashes 1
}

@test "stash - many - five entries" {
	stash_n r 5
	assert_git_agrees r
	assert_json stashes 5
}

@test "stash - many - after dropping one" {
	stash_n r 3
	git -C r stash drop -q 'stash@{1}'
	assert_git_agrees r
	assert_json stashes 2
}

@test "stash - many - after popping all but one" {
	stash_n r 3
	git -C r stash drop -q
	git -C r stash drop -q
	assert_git_agrees r
	assert_json stashes 1
}

@test "stash - none - after clearing" {
	stash_n r 2
	git -C r stash clear
	assert_git_agrees r
	assert_json stashes 0
}

@test "stash - one - with untracked files included" {
	printf 'u\n' > r/untracked.txt
	printf 'x\n' >> r/tracked.txt
	git -C r stash -q -u
	printf 'left\n' > r/left.txt
	assert_git_agrees r
	assert_json stashes 1
	assert_json untracked 1
}

@test "stash - many - stash ref packed" {
	stash_n r 3
	git -C r pack-refs --all --prune
	[[ ! -e r/.git/refs/stash ]]
	assert_git_agrees r
	assert_json stashes 3
}

@test "stash - many - seen from a linked worktree" {
	stash_n r 2
	git -C r worktree add -q ../wt -b side
	stash_n wt 1
	assert_git_agrees wt
	assert_json stashes 3
	assert_git_agrees r
	assert_json stashes 3
}
