# What stands between the parentheses: the branch, an unborn branch,
# the tag or short id of a detached HEAD; where the prompt looks from
# (a subdirectory, -C, inside .git); and nothing outside a repository.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	# git status must not refresh the index it is compared against.
	export GIT_OPTIONAL_LOCKS=0
	HOME=$(cd "$HOME" && pwd -P)
	ME=$(id -un)
	HOST=$(uname -n)
	HOST=${HOST%%.*}
	new_repo "$HOME/proj"
}

# prompt_text ARGS...: run atprompt, insist on exit 0 and a quiet
# stderr, and set TEXT to what the prompt shows without its colours.
prompt_text() {
	run --separate-stderr atp "$@"
	assert_success
	assert_equal "$stderr" ""
	TEXT=$(strip_sgr <<<"$output")
}

# second_commit DIR: one more commit on the current branch.
second_commit() {
	printf 'two\n' >> "$1/tracked.txt"
	git -C "$1" commit -q -a -m second
}

@test "head - branch - named in parentheses" {
	prompt_text -C "$HOME/proj"
	assert_equal "$TEXT" "$ME@$HOST:~/proj (main) > "
}

@test "head - branch with a slash - whole name" {
	git -C "$HOME/proj" checkout -q -b feature/login
	prompt_text -C "$HOME/proj"
	assert_equal "$TEXT" "$ME@$HOST:~/proj (feature/login) > "
}

@test "head - unborn branch - its name and no markers" {
	git init -q "$HOME/fresh"
	prompt_text -C "$HOME/fresh"
	assert_equal "$TEXT" "$ME@$HOST:~/fresh (main) > "
	run --separate-stderr atp -C "$HOME/fresh" --json
	assert_success
	assert_equal "$stderr" ""
	jq -e '.repo and .unborn and .branch == "main" and .head == null and
	    (.detached | not) and .complete' <<<"$output"
}

@test "head - unborn branch not called main - its own name" {
	git init -q -b trunk "$HOME/fresh"
	prompt_text -C "$HOME/fresh"
	assert_equal "$TEXT" "$ME@$HOST:~/fresh (trunk) > "
}

@test "head - unborn branch with staged files - name and green marker" {
	git init -q "$HOME/fresh"
	printf 'a\n' > "$HOME/fresh/a.txt"
	printf 'b\n' > "$HOME/fresh/b.txt"
	git -C "$HOME/fresh" add a.txt b.txt
	prompt_text -C "$HOME/fresh"
	assert_equal "$TEXT" "$ME@$HOST:~/fresh (main) @ > "
	[[ $output == *"$(tput setaf 2)@$(tput sgr0) > " ]]
	assert_matches_git "$HOME/fresh"
}

@test "head - detached at an annotated tag - the tag" {
	second_commit "$HOME/proj"
	git -C "$HOME/proj" tag -a v1.0 -m release
	second_commit "$HOME/proj"
	git -C "$HOME/proj" checkout -q v1.0
	prompt_text -C "$HOME/proj"
	assert_equal "$TEXT" "$ME@$HOST:~/proj (v1.0) > "
	run atp -C "$HOME/proj" --json
	jq -e '.detached and .branch == null and .tag == "v1.0"' <<<"$output"
	assert_equal "$(jq -r .head <<<"$output")" \
	    "$(git -C "$HOME/proj" rev-parse HEAD)"
}

@test "head - detached at a lightweight tag - the tag" {
	second_commit "$HOME/proj"
	git -C "$HOME/proj" tag light
	second_commit "$HOME/proj"
	git -C "$HOME/proj" checkout -q light
	prompt_text -C "$HOME/proj"
	assert_equal "$TEXT" "$ME@$HOST:~/proj (light) > "
}

@test "head - detached at an untagged commit - seven hex digits" {
	git -C "$HOME/proj" tag v0.1
	second_commit "$HOME/proj"
	second_commit "$HOME/proj"
	git -C "$HOME/proj" checkout -q HEAD~1
	short=$(git -C "$HOME/proj" rev-parse HEAD | cut -c1-7)
	prompt_text -C "$HOME/proj"
	assert_equal "$TEXT" "$ME@$HOST:~/proj ($short) > "
	[[ $short =~ ^[0-9a-f]{7}$ ]]
	run atp -C "$HOME/proj" --json
	jq -e '.detached and .branch == null and .tag == null' <<<"$output"
}

@test "head - detached with changes - markers still shown" {
	second_commit "$HOME/proj"
	git -C "$HOME/proj" checkout -q --detach HEAD~1
	printf 'new\n' > "$HOME/proj/new.txt"
	short=$(git -C "$HOME/proj" rev-parse HEAD | cut -c1-7)
	prompt_text -C "$HOME/proj"
	assert_equal "$TEXT" "$ME@$HOST:~/proj ($short) @ > "
}

@test "head - branch with a tag at its tip - the branch, tag in json" {
	git -C "$HOME/proj" tag -a v2 -m v2
	prompt_text -C "$HOME/proj"
	assert_equal "$TEXT" "$ME@$HOST:~/proj (main) > "
	run atp -C "$HOME/proj" --json
	jq -e '.branch == "main" and .tag == "v2" and (.detached | not)' \
	    <<<"$output"
}

@test "head - subdirectory of the work tree - short path and branch" {
	mkdir -p "$HOME/proj/src/lib"
	cd "$HOME/proj/src/lib"
	prompt_text
	assert_equal "$TEXT" "$ME@$HOST:~/p/s/lib (main) > "
}

@test "head - subdirectory - markers cover the whole work tree" {
	mkdir -p "$HOME/proj/src/lib"
	printf 'new\n' > "$HOME/proj/at-the-root.txt"
	printf 'two\n' >> "$HOME/proj/tracked.txt"
	cd "$HOME/proj/src/lib"
	prompt_text
	assert_equal "$TEXT" "$ME@$HOST:~/p/s/lib (main) @ @ > "
	run atp --json
	jq -e '.untracked == 1 and .unstaged == 1' <<<"$output"
	assert_equal "$(jq -r .workdir <<<"$output")" "$HOME/proj"
}

@test "head - -C - acts as if started there" {
	mkdir -p "$HOME/proj/src"
	prompt_text -C "$HOME/proj/src"
	assert_equal "$TEXT" "$ME@$HOST:~/p/src (main) > "
	from_C=$output
	cd "$HOME/proj/src"
	prompt_text
	assert_equal "$output" "$from_C"
}

@test "head - -C with a relative directory - from the current one" {
	mkdir -p "$HOME/proj/src"
	cd "$HOME"
	prompt_text -C proj/src
	assert_equal "$TEXT" "$ME@$HOST:~/p/src (main) > "
}

@test "head - -C into another repository - that one's branch" {
	git init -q -b other "$HOME/second"
	cd "$HOME/proj"
	prompt_text -C "$HOME/second"
	assert_equal "$TEXT" "$ME@$HOST:~/second (other) > "
}

@test "head - outside a repository - no parentheses, no markers" {
	mkdir -p "$HOME/plain"
	printf 'x\n' > "$HOME/plain/file"
	prompt_text -C "$HOME/plain"
	assert_equal "$TEXT" "$ME@$HOST:~/plain > "
	[[ $TEXT != *"("* && $TEXT != *@*@* ]]
}

@test "head - outside a repository, options that only the shell knows - shown" {
	mkdir -p "$HOME/plain"
	prompt_text -C "$HOME/plain" --status 1
	assert_equal "$TEXT" "$ME@$HOST:~/plain [1] > "
}

@test "head - inside .git - branch shown, exit 0, quiet" {
	printf 'new\n' > "$HOME/proj/new.txt"
	prompt_text -C "$HOME/proj/.git"
	[[ $TEXT == "$ME@$HOST:~/p/.git (main)"*" > " ]]
	prompt_text -C "$HOME/proj/.git/refs/heads"
	[[ $TEXT == "$ME@$HOST:~/p/.g/r/heads (main)"*" > " ]]
}

@test "head - linked worktree - its own branch" {
	git -C "$HOME/proj" worktree add -q -b topic "$HOME/wt"
	prompt_text -C "$HOME/wt"
	assert_equal "$TEXT" "$ME@$HOST:~/wt (topic) > "
	printf 'new\n' > "$HOME/wt/new.txt"
	prompt_text -C "$HOME/wt"
	assert_equal "$TEXT" "$ME@$HOST:~/wt (topic) @ > "
	prompt_text -C "$HOME/proj"
	assert_equal "$TEXT" "$ME@$HOST:~/proj (main) > "
}

@test "head - bare repository - branch, no markers, exit 0" {
	git clone -q --bare "$HOME/proj" "$HOME/bare.git"
	prompt_text -C "$HOME/bare.git"
	assert_equal "$TEXT" "$ME@$HOST:~/bare.git (main) > "
}
