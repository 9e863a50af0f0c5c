# --json: the contract's schema exactly, and counts that agree with
# git status --porcelain=v2 over the states a work tree can be in.

bats_require_minimum_version 1.5.0
load helper

KEYS='["repo","workdir","gitdir","bare","branch","head","detached",
"unborn","tag","upstream","ahead","behind","state","step","total",
"staged","unstaged","untracked","conflicted","stashes","complete",
"error"]'

# Every key's type as the contract gives it; prints the keys that are
# wrong, nothing when all are right.
TYPES='
def bool: type == "boolean";
def text: type == "string";
def maybe(f): . == null or f;
def count: type == "number" and . >= 0 and . == floor;
def abs: text and startswith("/");
{
	repo: (.repo | bool),
	workdir: (.workdir | maybe(abs)),
	gitdir: (.gitdir | maybe(abs)),
	bare: (.bare | bool),
	branch: (.branch | maybe(text and length > 0)),
	head: (.head | maybe(text and test("^[0-9a-f]{40}$"))),
	detached: (.detached | bool),
	unborn: (.unborn | bool),
	tag: (.tag | maybe(text and length > 0)),
	upstream: (.upstream | maybe(text and length > 0)),
	ahead: (.ahead | count),
	behind: (.behind | count),
	state: (.state | maybe(IN("none", "merge", "revert",
	    "revert-sequence", "cherry-pick", "cherry-pick-sequence",
	    "bisect", "rebase", "rebase-interactive", "rebase-merge",
	    "apply-mailbox", "apply-mailbox-or-rebase"))),
	step: (.step | maybe(count)),
	total: (.total | maybe(count)),
	staged: (.staged | count),
	unstaged: (.unstaged | count),
	untracked: (.untracked | count),
	conflicted: (.conflicted | count),
	stashes: (.stashes | count),
	complete: (.complete | bool),
	error: (.error | maybe(text))
} | to_entries | map(select(.value | not) | .key) | join(" ")'

setup() {
	common_setup
	# git status must not refresh the index it is compared against.
	export GIT_OPTIONAL_LOCKS=0
	new_repo r
}

# assert_schema ARGS...: atprompt --json ARGS prints one line, then a
# newline, holding one object with every key in order, each of its type.
assert_schema() {
	atp --json "$@" > out.json 2> err.txt || fail "exit status $?"
	assert_equal "$(cat err.txt)" ""
	assert_equal "$(wc -l < out.json)" 1
	assert_equal "$(tail -c 1 out.json | od -An -tx1 | tr -d ' ')" 0a
	assert_equal "$(jq -s length out.json)" 1
	assert_equal "$(jq -c keys_unsorted out.json)" "$(jq -c . <<<"$KEYS")"
	assert_equal "$(jq -r "$TYPES" out.json)" ""
}

# assert_clean_json FILE: valid UTF-8 with no raw control byte but the
# final newline.
assert_clean_json() {
	iconv -f UTF-8 -t UTF-8 "$1" > /dev/null
	assert_equal "$(head -c -1 "$1" | LC_ALL=C tr -d '\040-\176\200-\377' |
	    od -An -tx1)" ""
	jq -e . "$1" > /dev/null
}

# make_remote: r's main has origin/main as upstream in a local bare
# repository, and a clone "other" that can push to it.
make_remote() {
	git init -q --bare remote.git
	git -C r remote add origin "$BATS_TEST_TMPDIR/remote.git"
	git -C r push -q -u origin main 2> /dev/null
	git clone -q remote.git other
}

# commit_in DIR FILE: one more commit changing FILE.
commit_in() {
	printf '%s\n' "$RANDOM" >> "$1/$2"
	git -C "$1" add "$2"
	git -C "$1" commit -q -m "change $2"
}

@test "json - schema - clean repository" {
	assert_schema -C r
	jq -e '.repo and .complete and .error == null and .state == "none"
	    and .step == null and .total == null' out.json
}

@test "json - schema - upstream, tag and stash filled" {
	make_remote
	commit_in other tracked.txt
	git -C other push -q origin main 2> /dev/null
	git -C r fetch -q
	commit_in r tracked.txt
	git -C r tag -a v1 -m v1
	printf 'stash me\n' >> r/tracked.txt
	git -C r stash -q
	assert_schema -C r
	jq -e '.upstream == "origin/main" and .tag == "v1" and .ahead == 1 and
	    .behind == 1 and .stashes == 1' out.json
}

@test "json - schema - rebase stopped at a conflict" {
	git -C r checkout -q -b side
	commit_in r tracked.txt
	commit_in r second.txt
	git -C r checkout -q main
	commit_in r tracked.txt
	git -C r checkout -q side
	run git -C r rebase main
	assert_failure
	assert_schema -C r
	jq -e '(.state | startswith("rebase")) and .step == 1 and .total == 2
	    and .conflicted == 1 and .detached' out.json
}

@test "json - schema - outside a repository" {
	mkdir plain
	assert_schema -C plain
}

@test "json - schema - corrupt index" {
	head -c 40 r/.git/index > r/index.part
	mv r/index.part r/.git/index
	assert_schema -C r
	jq -e '(.complete | not) and (.error | length > 0)' out.json
	assert_equal "$(jq -r .error out.json | wc -l)" 1
}

@test "json - outside a repository - repo false, the rest empty" {
	mkdir plain
	run --separate-stderr atp -C plain --json
	assert_success
	assert_equal "$stderr" ""
	jq -e '. == {"repo": false, "workdir": null, "gitdir": null,
	    "bare": false, "branch": null, "head": null, "detached": false,
	    "unborn": false, "tag": null, "upstream": null, "ahead": 0,
	    "behind": 0, "state": null, "step": null, "total": null,
	    "staged": 0, "unstaged": 0, "untracked": 0, "conflicted": 0,
	    "stashes": 0, "complete": false, "error": null}' <<<"$output"
}

@test "json - layout - workdir and gitdir are absolute" {
	mkdir r/sub
	run --separate-stderr atp -C r/sub --json
	assert_success
	root=$(cd r && pwd -P)
	assert_equal "$(jq -r .workdir <<<"$output")" "$root"
	assert_equal "$(jq -r .gitdir <<<"$output")" "$root/.git"
	jq -e '(.bare | not)' <<<"$output"
}

@test "json - layout - bare repository" {
	git clone -q --bare r bare.git
	run --separate-stderr atp -C bare.git --json
	assert_success
	assert_equal "$stderr" ""
	jq -e '.bare and .workdir == null and .branch == "main"' <<<"$output"
	assert_equal "$(jq -r .gitdir <<<"$output")" "$(cd bare.git && pwd -P)"
}

@test "json - state - clean - matches git" {
	assert_matches_git r
	jq -e '.staged + .unstaged + .untracked + .conflicted == 0' \
	    <<<"$(atp -C r --json)"
}

@test "json - state - untracked file - matches git" {
	printf 'new\n' > r/new.txt
	assert_matches_git r
	assert_equal "$(json_field untracked -C r)" 1
}

@test "json - state - untracked directory - counted once" {
	mkdir -p r/dir/sub
	printf 'a\n' > r/dir/a
	printf 'b\n' > r/dir/b
	printf 'c\n' > r/dir/sub/c
	assert_matches_git r
	assert_equal "$(json_field untracked -C r)" 1
}

@test "json - state - empty untracked directory - not counted" {
	mkdir -p r/empty/inner
	assert_matches_git r
	assert_equal "$(json_field untracked -C r)" 0
}

@test "json - state - directory of ignored files only - not counted" {
	printf '*.o\n' > r/.gitignore
	git -C r add .gitignore
	git -C r commit -q -m ignore
	mkdir -p r/build/deep r/build/empty
	printf 'x\n' > r/build/a.o
	printf 'x\n' > r/build/deep/b.o
	printf 'x\n' > r/top.o
	assert_matches_git r
	assert_equal "$(json_field untracked -C r)" 0
}

@test "json - state - ignored directory beside an untracked file - one" {
	printf 'build/\n' > r/.gitignore
	git -C r add .gitignore
	git -C r commit -q -m ignore
	mkdir -p r/build r/mixed
	printf 'x\n' > r/build/out
	printf 'x\n' > r/mixed/keep.c
	printf 'x\n' > r/mixed/.gitignore
	assert_matches_git r
	assert_equal "$(json_field untracked -C r)" 1
}

@test "json - state - nested repository - counted once" {
	new_repo r/inner
	assert_matches_git r
	assert_equal "$(json_field untracked -C r)" 1
}

@test "json - state - staged new file - matches git" {
	printf 'new\n' > r/new.txt
	git -C r add new.txt
	assert_matches_git r
	assert_equal "$(json_field staged -C r)" 1
}

@test "json - state - staged modification - matches git" {
	printf 'two\n' >> r/tracked.txt
	git -C r add tracked.txt
	assert_matches_git r
	assert_equal "$(json_field staged -C r)" 1
}

@test "json - state - staged deletion - matches git" {
	git -C r rm -q tracked.txt
	assert_matches_git r
	assert_equal "$(json_field staged -C r)" 1
}

@test "json - state - staged rename - a deletion and an addition" {
	git -C r mv tracked.txt renamed.txt
	assert_matches_git r
	assert_equal "$(json_field staged -C r)" 2
}

@test "json - state - unstaged modification - matches git" {
	printf 'two\n' >> r/tracked.txt
	assert_matches_git r
	assert_equal "$(json_field unstaged -C r)" 1
}

@test "json - state - unstaged deletion - matches git" {
	rm r/tracked.txt
	assert_matches_git r
	assert_equal "$(json_field unstaged -C r)" 1
}

@test "json - state - mode change - matches git" {
	chmod +x r/tracked.txt
	assert_matches_git r
	assert_equal "$(json_field unstaged -C r)" 1
}

@test "json - state - touched but unchanged - matches git" {
	touch -d '2030-01-01 00:00:00' r/tracked.txt
	assert_matches_git r
	assert_equal "$(json_field unstaged -C r)" 0
}

@test "json - state - staged then modified - counted on both sides" {
	printf 'two\n' >> r/tracked.txt
	git -C r add tracked.txt
	printf 'three\n' >> r/tracked.txt
	assert_matches_git r
	jq -e '.staged == 1 and .unstaged == 1' <<<"$(atp -C r --json)"
}

@test "json - state - staged new file then deleted - matches git" {
	printf 'new\n' > r/new.txt
	git -C r add new.txt
	rm r/new.txt
	assert_matches_git r
}

@test "json - state - intent to add - unstaged, as git" {
	printf 'new\n' > r/new.txt
	git -C r add -N new.txt
	assert_matches_git r
}

@test "json - state - typechange file to symlink - matches git" {
	rm r/tracked.txt
	ln -s elsewhere r/tracked.txt
	assert_matches_git r
	assert_equal "$(json_field unstaged -C r)" 1
	git -C r add tracked.txt
	assert_matches_git r
	assert_equal "$(json_field staged -C r)" 1
}

@test "json - state - many changes of every kind - matches git" {
	local i
	for i in $(seq 1 30); do
		printf '%s\n' "$i" > "r/f$i"
	done
	git -C r add .
	git -C r commit -q -m thirty
	for i in $(seq 1 10); do
		printf 'more\n' >> "r/f$i"
	done
	git -C r add f1 f2 f3 f4 f5
	printf 'again\n' >> r/f1
	rm r/f20 r/f21
	git -C r rm -q f22
	for i in $(seq 1 12); do
		printf 'x\n' > "r/new$i"
	done
	mkdir -p r/newdir/a
	printf 'x\n' > r/newdir/a/x
	assert_matches_git r
	jq -e '.staged == 6 and .unstaged == 8 and .untracked == 13' \
	    <<<"$(atp -C r --json)"
}

@test "json - state - merge conflict - conflicted only" {
	git -C r checkout -q -b side
	printf 'side\n' > r/tracked.txt
	printf 'clean\n' > r/merged.txt
	git -C r add tracked.txt merged.txt
	git -C r commit -q -m side
	git -C r checkout -q main
	printf 'main\n' > r/tracked.txt
	git -C r commit -q -a -m main
	run git -C r merge side
	assert_failure
	assert_matches_git r
	jq -e '.conflicted == 1 and .staged == 1 and .unstaged == 0 and
	    .state == "merge"' <<<"$(atp -C r --json)"
}

@test "json - state - upstream in step - matches git" {
	make_remote
	assert_matches_git r
	jq -e '.upstream == "origin/main" and .ahead == 0 and .behind == 0' \
	    <<<"$(atp -C r --json)"
}

@test "json - state - upstream ahead - matches git" {
	make_remote
	commit_in r tracked.txt
	commit_in r tracked.txt
	assert_matches_git r
	jq -e '.ahead == 2 and .behind == 0' <<<"$(atp -C r --json)"
}

@test "json - state - upstream behind - matches git" {
	make_remote
	commit_in other tracked.txt
	commit_in other tracked.txt
	commit_in other tracked.txt
	git -C other push -q origin main 2> /dev/null
	git -C r fetch -q
	assert_matches_git r
	jq -e '.ahead == 0 and .behind == 3' <<<"$(atp -C r --json)"
}

@test "json - state - upstream diverged - matches git" {
	make_remote
	commit_in other other.txt
	git -C other push -q origin main 2> /dev/null
	git -C r fetch -q
	commit_in r mine.txt
	commit_in r mine.txt
	assert_matches_git r
	jq -e '.ahead == 2 and .behind == 1' <<<"$(atp -C r --json)"
}

@test "json - state - upstream gone - matches git" {
	make_remote
	git -C r branch -q -r -d origin/main
	assert_matches_git r
}

@test "json - state - no stash - matches git" {
	assert_matches_git r
	assert_equal "$(json_field stashes -C r)" 0
}

@test "json - state - one stash - matches git" {
	printf 'two\n' >> r/tracked.txt
	git -C r stash -q
	assert_matches_git r
	assert_equal "$(json_field stashes -C r)" 1
}

@test "json - state - three stashes - matches git" {
	local i
	for i in 1 2 3; do
		printf '%s\n' "$i" >> r/tracked.txt
		git -C r stash -q
	done
	assert_matches_git r
	assert_equal "$(json_field stashes -C r)" 3
}

@test "json - state - unborn branch with staged files - matches git" {
	git init -q u
	printf 'a\n' > u/a
	printf 'b\n' > u/b
	git -C u add a b
	printf 'c\n' > u/c
	assert_matches_git u
	jq -e '.unborn and .branch == "main" and .head == null and
	    .staged == 2 and .untracked == 1' <<<"$(atp -C u --json)"
}

@test "json - state - detached HEAD - matches git" {
	commit_in r tracked.txt
	git -C r checkout -q --detach HEAD~1
	printf 'x\n' > r/new.txt
	assert_matches_git r
}

@test "json - state - submodule at a new commit, dirty inside - matches git" {
	new_repo sub
	git -C r submodule -q add "$BATS_TEST_TMPDIR/sub" sub 2> /dev/null
	git -C r commit -q -m sub
	commit_in r/sub tracked.txt
	printf 'dirty\n' >> r/sub/tracked.txt
	printf 'x\n' > r/sub/untracked-inside
	assert_matches_git r
	assert_equal "$(json_field unstaged -C r)" 1
}

@test "json - state - submodule dirty only - not counted" {
	new_repo sub
	git -C r submodule -q add "$BATS_TEST_TMPDIR/sub" sub 2> /dev/null
	git -C r commit -q -m sub
	printf 'dirty\n' >> r/sub/tracked.txt
	assert_matches_git r
	assert_equal "$(json_field unstaged -C r)" 0
}

@test "json - bytes - non-UTF-8 branch name - \\ufffd" {
	git -C r checkout -q -b $'bad\xffname'
	atp -C r --json > out.json
	assert_clean_json out.json
	grep -qF 'bad\ufffdname' out.json
	assert_equal "$(jq -r .branch out.json)" $'bad\uFFFDname'
}

@test "json - bytes - control bytes in a tag name - escaped" {
	git -C r rev-parse HEAD > $'r/.git/refs/tags/t\e]0;x\a\xfe'
	atp -C r --json > out.json
	assert_clean_json out.json
	assert_equal "$(jq -r .tag out.json)" $'t\e]0;x\a\uFFFD'
}

@test "json - bytes - C1 controls spelt in UTF-8 - escaped" {
	git -C r checkout -q -b $'x\u009b31my\u0085z'
	atp -C r --json > out.json
	assert_clean_json out.json
	run -1 env LC_ALL=C grep -q $'\xc2[\x80-\x9f]' out.json
	grep -qF 'x\u009b31my\u0085z' out.json
	assert_equal "$(jq -r .branch out.json)" $'x\u009b31my\u0085z'
}

@test "json - bytes - quote and backslash in a tag name - escaped" {
	git -C r rev-parse HEAD > 'r/.git/refs/tags/a"b\c'
	atp -C r --json > out.json
	assert_clean_json out.json
	assert_equal "$(jq -r .tag out.json)" 'a"b\c'
}

@test "json - bytes - control bytes in HEAD's branch - escaped error" {
	printf 'ref: refs/heads/a\033[31mred\n' > r/.git/HEAD
	run --separate-stderr atp -C r --json
	assert_success
	assert_equal "$stderr" ""
	printf '%s\n' "$output" > out.json
	assert_clean_json out.json
	jq -e '(.complete | not) and (.error | length > 0)' out.json
}

@test "json - bytes - control and non-UTF-8 bytes in the work tree path" {
	dir=$'odd\e[1m\x01\xc3(name'
	new_repo "$dir"
	atp -C "$dir" --json > out.json
	assert_clean_json out.json
	want=$(cd "$dir" && pwd -P)
	want=${want%/*}/$'odd\e[1m\x01\uFFFD(name'
	assert_equal "$(jq -r .workdir out.json)" "$want"
}
