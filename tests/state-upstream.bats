# Repository state: the branch's upstream.  None, equal, ahead, behind,
# diverged, configured but gone, and an upstream reached through a
# remote whose fetch refspec is not the default.  Remotes are local
# bare repositories named by file path; git status is the oracle.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	git init -q --bare origin.git
	new_repo seed
	git -C seed push -q ../origin.git main
	git clone -q origin.git r
}

# commit_in DIR NAME: one more commit in DIR touching NAME.
commit_in() {
	printf '%s\n' "$2" >> "$1/$2"
	git -C "$1" add "$2"
	git -C "$1" commit -q -m "$2"
}

# push_from_elsewhere N: N new commits reach origin's main from
# another clone, and r fetches them.
push_from_elsewhere() {
	local i
	git clone -q origin.git other
	for ((i = 1; i <= $1; i++)); do
		commit_in other "theirs$i.txt"
	done
	git -C other push -q origin main
	git -C r fetch -q
}

@test "upstream - none - local branch without tracking" {
	git -C r checkout -q -b local
	commit_in r a.txt
	assert_git_agrees r
	assert_json upstream null
	assert_json ahead 0
	assert_json behind 0
}

@test "upstream - equal - fresh clone" {
	assert_git_agrees r
	assert_json upstream origin/main
	assert_json ahead 0
	assert_json behind 0
}

@test "upstream - ahead - two local commits" {
	commit_in r a.txt
	commit_in r b.txt
	assert_git_agrees r
	assert_json ahead 2
}

@test "upstream - behind - three fetched commits" {
	push_from_elsewhere 3
	assert_git_agrees r
	assert_json behind 3
	assert_json ahead 0
}

@test "upstream - diverged - one ahead, two behind" {
	push_from_elsewhere 2
	commit_in r mine.txt
	assert_git_agrees r
	assert_json ahead 1
	assert_json behind 2
}

@test "upstream - diverged - merge commits on both sides" {
	push_from_elsewhere 2
	git -C r checkout -q -b side main
	commit_in r side.txt
	git -C r checkout -q main
	commit_in r mine.txt
	git -C r merge -q --no-edit side
	git -C other checkout -q -b oside HEAD~1
	commit_in other oside.txt
	git -C other checkout -q main
	git -C other merge -q --no-edit oside
	git -C other push -q origin main
	git -C r fetch -q
	assert_git_agrees r
}

@test "upstream - gone - remote branch deleted and pruned" {
	git -C r checkout -q -b feature
	git -C r push -q -u origin feature
	commit_in r f.txt
	git -C r push -q origin --delete feature
	git -C r fetch -q --prune
	[[ -z $(git -C r for-each-ref refs/remotes/origin/feature) ]]
	assert_git_agrees r
	assert_json upstream origin/feature
	assert_json ahead 0
	assert_json behind 0
}

@test "upstream - gone - configured but never fetched" {
	git -C r config branch.main.merge refs/heads/never
	assert_git_agrees r
	assert_json upstream origin/never
}

@test "upstream - gone - configured remote does not exist" {
	git -C r checkout -q -b lost
	git -C r config branch.lost.remote nosuch
	git -C r config branch.lost.merge refs/heads/lost
	assert_git_agrees r
}

@test "upstream - refspec - remote-tracking refs under another name" {
	git -C r config remote.origin.fetch \
	    '+refs/heads/*:refs/remotes/mirror/*'
	git -C r fetch -q
	commit_in r a.txt
	assert_git_agrees r
	assert_json upstream mirror/main
	assert_json ahead 1
}

@test "upstream - refspec - nested namespace and behind" {
	git -C r remote add up ../origin.git
	git -C r config remote.up.fetch '+refs/heads/*:refs/remotes/up/heads/*'
	git -C r fetch -q up
	git -C r branch -q --set-upstream-to=up/heads/main main
	push_from_elsewhere 1
	git -C r fetch -q up
	assert_git_agrees r
	assert_json upstream up/heads/main
	assert_json behind 1
}

@test "upstream - refspec - explicit per-branch refspec" {
	git -C r remote add narrow ../origin.git
	git -C r config remote.narrow.fetch \
	    '+refs/heads/main:refs/remotes/narrow-main'
	git -C r fetch -q narrow
	git -C r config branch.main.remote narrow
	git -C r config branch.main.merge refs/heads/main
	commit_in r a.txt
	assert_git_agrees r
}

@test "upstream - local - another local branch as upstream" {
	git -C r checkout -q -b topic
	git -C r branch -q --set-upstream-to=main topic
	commit_in r t.txt
	assert_git_agrees r
	assert_json upstream main
	assert_json ahead 1
}

@test "upstream - detached - none even when the branch has one" {
	commit_in r a.txt
	git -C r checkout -q --detach
	assert_git_agrees r
	assert_json upstream null
}

@test "upstream - unborn - clone of an empty repository" {
	git init -q --bare empty.git
	git clone -q empty.git e 2>/dev/null
	printf 'x\n' > e/x.txt
	assert_git_agrees e
	assert_json unborn true
}

@test "upstream - packed - remote-tracking ref only in packed-refs" {
	push_from_elsewhere 2
	git -C r pack-refs --all --prune
	[[ ! -e r/.git/refs/remotes/origin/main ]]
	assert_git_agrees r
	assert_json behind 2
}
