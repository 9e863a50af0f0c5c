# Repository state: an operation in progress.  Merge, rebase with the
# merge backend (interactive and not) and the apply backend, git am,
# cherry-pick and revert (one commit and a sequence), bisect.  The
# label is checked against git's own prompt script, the counts against
# git status; conflicted paths count as conflicted and nowhere else.
#
# Since git 2.26 a plain "git rebase" uses the merge backend and keeps
# its state in .git/rebase-merge with an "interactive" file, exactly as
# "git rebase -i" does, and git status calls both an interactive
# rebase; so does the contract's state field.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	export GIT_EDITOR=true GIT_MERGE_AUTOEDIT=no
}

# series DIR N K: main changes conflict.txt after topic forks; topic
# has N commits, each adding file topicI.txt, and its K-th also edits
# conflict.txt, so replaying topic onto main stops at step K of N.
series() {
	local dir=$1 n=$2 k=$3 i
	git init -q "$dir"
	printf 'base\n' > "$dir/conflict.txt"
	git -C "$dir" add conflict.txt
	git -C "$dir" commit -q -m base
	git -C "$dir" branch topic
	printf 'main side\n' > "$dir/conflict.txt"
	printf 'main\n' > "$dir/main.txt"
	git -C "$dir" add conflict.txt main.txt
	git -C "$dir" commit -q -m 'main change'
	git -C "$dir" checkout -q topic
	for ((i = 1; i <= n; i++)); do
		printf '%d\n' "$i" > "$dir/topic$i.txt"
		((i == k)) && printf 'topic side\n' > "$dir/conflict.txt"
		git -C "$dir" add .
		git -C "$dir" commit -q -m "topic $i"
	done
}

# assert_in_prompt DIR TEXT: the default prompt holds TEXT.
assert_in_prompt() {
	plain_prompt "$1"
	if [[ $PROMPT_TEXT != *"$2"* ]]; then
		echo "no '$2' in the prompt '$PROMPT_TEXT'"
		return 1
	fi
}

@test "operation - none - label empty" {
	series r 2 0
	assert_git_agrees r
	assert_json state none
	assert_json step null
	assert_json total null
	assert_op_label r ""
}

@test "operation - merge - conflict with a clean file beside it" {
	series r 1 1
	git -C r checkout -q main
	run git -C r merge topic
	assert_failure
	assert_git_agrees r
	assert_json state merge
	assert_json conflicted 1
	assert_json staged 1
	assert_json unstaged 0
	assert_op_label r MERGING
	assert_in_prompt r "(main|MERGING)"
}

@test "operation - merge - conflicts counted as conflicted only" {
	git init -q r
	printf 'base\n' > r/both.txt
	printf 'keep\n' > r/deleted.txt
	git -C r add .
	git -C r commit -q -m base
	git -C r checkout -q -b theirs
	printf 'theirs\n' > r/both.txt
	git -C r rm -q deleted.txt
	printf 'theirs\n' > r/added.txt
	git -C r add .
	git -C r commit -q -m theirs
	git -C r checkout -q main
	printf 'ours\n' > r/both.txt
	printf 'ours too\n' > r/deleted.txt
	printf 'ours\n' > r/added.txt
	git -C r add .
	git -C r commit -q -m ours
	run git -C r merge theirs
	assert_failure
	assert_git_agrees r
	assert_json conflicted 3
	assert_json staged 0
	assert_json unstaged 0
	assert_json untracked 0
	plain_prompt r --format '%m'
	assert_equal "$PROMPT_TEXT" ""
}

@test "operation - merge - resolved but not committed" {
	series r 1 1
	git -C r checkout -q main
	run git -C r merge topic
	assert_failure
	printf 'resolved\n' > r/conflict.txt
	git -C r add conflict.txt
	assert_git_agrees r
	assert_json state merge
	assert_json conflicted 0
	assert_json staged 2
	assert_op_label r MERGING
}

@test "operation - merge - clean merge stopped by --no-commit" {
	series r 2 0
	git -C r checkout -q main
	git -C r merge -q --no-commit --no-ff topic
	assert_git_agrees r
	assert_json state merge
	assert_op_label r MERGING
}

@test "operation - rebase merge backend - stopped at a conflict" {
	series r 5 2
	run git -C r rebase main
	assert_failure
	[[ -d r/.git/rebase-merge ]]
	GIT_OPTIONAL_LOCKS=0 git -C r status | grep -q '^interactive rebase'
	assert_git_agrees r
	assert_json state rebase-interactive
	assert_json step 2
	assert_json total 5
	assert_json conflicted 1
	assert_json branch null
	assert_op_label r "REBASE 2/5"
	assert_in_prompt r "(topic|REBASE 2/5)"
}

@test "operation - rebase merge backend - label names the rebased branch" {
	series r 3 3
	run git -C r rebase main
	assert_failure
	prompt_label r
	assert_equal "$PROMPT_TEXT" "topic|REBASE 3/3"
	assert_equal "$PROMPT_TEXT" "$(git_ps1 r)"
}

@test "operation - rebase merge backend - conflict resolved and staged" {
	series r 4 2
	run git -C r rebase main
	assert_failure
	printf 'resolved\n' > r/conflict.txt
	git -C r add conflict.txt
	assert_git_agrees r
	assert_json state rebase-interactive
	assert_op_label r "REBASE 2/4"
}

@test "operation - rebase interactive - stopped for edit" {
	series r 5 0
	GIT_SEQUENCE_EDITOR="sed -i 3s/^pick/edit/" \
	    git -C r rebase -q -i HEAD~5 2>/dev/null
	[[ -f r/.git/rebase-merge/interactive ]]
	assert_git_agrees r
	assert_json state rebase-interactive
	assert_json step 3
	assert_json total 5
	assert_op_label r "REBASE 3/5"
	assert_in_prompt r "(topic|REBASE 3/5)"
}

@test "operation - rebase interactive - stopped at a conflict" {
	series r 5 4
	run env GIT_SEQUENCE_EDITOR=true git -C r rebase -i main
	assert_failure
	assert_git_agrees r
	assert_json state rebase-interactive
	assert_json step 4
	assert_json total 5
	assert_json conflicted 1
	assert_op_label r "REBASE 4/5"
}

@test "operation - rebase interactive - break with a dirty work tree" {
	series r 3 0
	GIT_SEQUENCE_EDITOR="sed -i 1a\\break" \
	    git -C r rebase -q -i HEAD~3 2>/dev/null
	printf 'dirty\n' >> r/topic1.txt
	printf 'new\n' > r/new.txt
	assert_git_agrees r
	assert_json state rebase-interactive
	assert_op_label r "REBASE 2/4"
}

@test "operation - rebase apply backend - stopped at a conflict" {
	series r 5 2
	run git -C r rebase --apply main
	assert_failure
	[[ -f r/.git/rebase-apply/rebasing ]]
	assert_git_agrees r
	assert_json state rebase
	assert_json step 2
	assert_json total 5
	assert_json conflicted 1
	assert_op_label r "REBASE 2/5"
	assert_in_prompt r "(topic|REBASE 2/5)"
}

@test "operation - am - patch 2 of 3 fails" {
	series r 3 2
	git -C r format-patch -q -3 -o ../patches
	git -C r checkout -q main
	run git -C r am ../patches/0001-topic-1.patch \
	    ../patches/0002-topic-2.patch ../patches/0003-topic-3.patch
	assert_failure
	[[ -f r/.git/rebase-apply/applying ]]
	assert_git_agrees r
	assert_json state apply-mailbox
	assert_json step 2
	assert_json total 3
	assert_json branch main
	assert_op_label r "AM 2/3"
	assert_in_prompt r "(main|AM 2/3)"
}

@test "operation - am - three-way merge leaves a conflict" {
	series r 2 1
	git -C r format-patch -q -2 -o ../patches
	git -C r checkout -q main
	run git -C r am -3 ../patches/0001-topic-1.patch \
	    ../patches/0002-topic-2.patch
	assert_failure
	assert_git_agrees r
	assert_json state apply-mailbox
	assert_json conflicted 1
	assert_op_label r "AM 1/2"
}

@test "operation - cherry-pick - one commit conflicts" {
	series r 3 2
	git -C r checkout -q main
	run git -C r cherry-pick topic~1
	assert_failure
	[[ ! -e r/.git/sequencer ]]
	assert_git_agrees r
	assert_json state cherry-pick
	assert_json conflicted 1
	assert_json staged 1
	assert_op_label r CHERRY-PICKING
	assert_in_prompt r "(main|CHERRY-PICKING)"
}

@test "operation - cherry-pick - sequence stopped in the middle" {
	series r 3 2
	git -C r checkout -q main
	run git -C r cherry-pick topic~2 topic~1 topic
	assert_failure
	[[ -f r/.git/sequencer/todo ]]
	assert_git_agrees r
	assert_json state cherry-pick-sequence
	assert_json conflicted 1
	assert_op_label r CHERRY-PICKING
}

@test "operation - cherry-pick - sequence paused after committing" {
	series r 3 2
	git -C r checkout -q main
	run git -C r cherry-pick topic~2 topic~1 topic
	assert_failure
	printf 'resolved\n' > r/conflict.txt
	git -C r add conflict.txt
	git -C r commit -q --no-edit
	[[ ! -e r/.git/CHERRY_PICK_HEAD ]]
	[[ -f r/.git/sequencer/todo ]]
	assert_git_agrees r
	assert_json state cherry-pick-sequence
	assert_op_label r CHERRY-PICKING
}

# reverts DIR: main with three commits to conflict.txt after a base, so
# reverting the middle one conflicts with the last.
reverts() {
	git init -q "$1"
	printf '1\n' > "$1/conflict.txt"
	printf 'x\n' > "$1/other.txt"
	git -C "$1" add .
	git -C "$1" commit -q -m one
	printf 'y\n' > "$1/other.txt"
	git -C "$1" commit -q -a -m other
	printf '2\n' > "$1/conflict.txt"
	git -C "$1" commit -q -a -m two
	printf '3\n' > "$1/conflict.txt"
	git -C "$1" commit -q -a -m three
}

@test "operation - revert - one commit conflicts" {
	reverts r
	run git -C r revert --no-edit HEAD~1
	assert_failure
	[[ ! -e r/.git/sequencer ]]
	assert_git_agrees r
	assert_json state revert
	assert_json conflicted 1
	assert_op_label r REVERTING
	assert_in_prompt r "(main|REVERTING)"
}

@test "operation - revert - sequence stopped in the middle" {
	reverts r
	run git -C r revert --no-edit HEAD~2 HEAD~1
	assert_failure
	[[ -f r/.git/sequencer/todo ]]
	assert_git_agrees r
	assert_json state revert-sequence
	assert_json conflicted 1
	assert_op_label r REVERTING
}

@test "operation - bisect - started with good and bad" {
	series r 6 0
	git -C r bisect start HEAD HEAD~6 >/dev/null
	assert_git_agrees r
	assert_json state bisect
	assert_json detached true
	assert_op_label r BISECTING
}

@test "operation - bisect - started without marks" {
	series r 2 0
	git -C r bisect start >/dev/null
	assert_git_agrees r
	assert_json state bisect
	assert_json branch topic
	assert_op_label r BISECTING
	assert_in_prompt r "(topic|BISECTING)"
}

@test "operation - merge - in a linked worktree" {
	series r 1 1
	git -C r checkout -q main
	git -C r worktree add -q ../wt -b wtmain main
	run git -C wt merge topic
	assert_failure
	assert_git_agrees wt
	assert_json state merge
	assert_op_label wt MERGING
	assert_git_agrees r
	assert_json state none
	assert_op_label r ""
}

@test "operation - rebase - atprompt writes nothing to .git" {
	series r 4 2
	run git -C r rebase main
	assert_failure
	assert_no_writes r r/.git
}
