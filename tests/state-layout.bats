# Repository state: where the repository is and where the prompt looks
# from.  Inside .git, a bare repository, linked worktrees, submodules,
# .git files, GIT_DIR and GIT_WORK_TREE, core.worktree, a separate git
# dir, shallow and partial clones, a repository owned by someone else,
# and a current directory that no longer exists.  Clones use local
# paths and file:// URLs only.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	T=$(cd "$BATS_TEST_TMPDIR" && pwd -P)
	export GIT_EDITOR=true
}

# dirty DIR: a modified tracked file, a staged new file, an untracked one.
dirty() {
	printf 'more\n' >> "$1/tracked.txt"
	printf 'staged\n' > "$1/staged.txt"
	git -C "$1" add staged.txt
	printf 'loose\n' > "$1/loose.txt"
}

# assert_counts_or_incomplete DIR: the counts in ATP_JSON are git's for
# the work tree DIR, unless atprompt says it could not tell
# (complete false with an error): inside .git it must not guess.
assert_counts_or_incomplete() {
	local field want got
	if [[ $(jq -r .complete <<<"$ATP_JSON") == false ]]; then
		[[ $(jq -r .error <<<"$ATP_JSON") != null ]]
		return
	fi
	GIT_OPTIONAL_LOCKS=0 git_oracle "$1"
	for field in staged unstaged untracked conflicted; do
		want=ORACLE_$field
		got=$(jq -r --arg k "$field" '.[$k]' <<<"$ATP_JSON")
		if [[ $got != "${!want}" ]]; then
			echo "field '$field': git says '${!want}' for the" \
			    "work tree, atprompt '$got' and complete"
			echo "json: $ATP_JSON"
			return 1
		fi
	done
}

@test "layout - subdirectory - counts cover the whole work tree" {
	new_repo r
	mkdir -p r/a/b
	dirty r
	touch r/a/b/new.txt
	assert_git_agrees r/a/b
	assert_json workdir "$T/r"
	assert_json untracked 2
}

@test "layout - inside .git - branch read, no guessed counts" {
	new_repo r
	dirty r
	atp_json r/.git
	assert_json repo true
	assert_json branch main
	assert_json head "$(git -C r rev-parse HEAD)"
	assert_json gitdir "$T/r/.git"
	assert_json bare false
	assert_counts_or_incomplete r
}

@test "layout - inside .git - a subdirectory of it" {
	new_repo r
	dirty r
	atp_json r/.git/refs/heads
	assert_json repo true
	assert_json branch main
	assert_json gitdir "$T/r/.git"
	assert_counts_or_incomplete r
}

@test "layout - bare - top of the repository" {
	new_repo src
	git clone -q --bare src bare.git
	atp_json bare.git
	assert_json repo true
	assert_json bare true
	assert_json workdir null
	assert_json gitdir "$T/bare.git"
	assert_json branch main
	assert_json head "$(git -C bare.git rev-parse HEAD)"
	assert_json staged 0
	assert_json unstaged 0
	assert_json untracked 0
	assert_json complete true
}

@test "layout - bare - inside its refs directory" {
	new_repo src
	git clone -q --bare src bare.git
	atp_json bare.git/refs
	assert_json bare true
	assert_json branch main
	assert_json gitdir "$T/bare.git"
}

@test "layout - linked worktree - from the linked one" {
	new_repo r
	git -C r worktree add -q ../wt -b feature
	dirty wt
	assert_git_agrees wt
	assert_json branch feature
	assert_json workdir "$T/wt"
	assert_json gitdir "$T/r/.git/worktrees/wt"
}

@test "layout - linked worktree - from the main one" {
	new_repo r
	git -C r worktree add -q ../wt -b feature
	dirty wt
	printf 'main only\n' > r/main-only.txt
	assert_git_agrees r
	assert_json branch main
	assert_json untracked 1
	assert_json staged 0
}

@test "layout - linked worktree - detached, from a subdirectory" {
	new_repo r
	mkdir r/sub
	touch r/sub/keep
	git -C r add sub
	git -C r commit -q -m sub
	git -C r worktree add -q --detach ../wt
	printf 'x\n' > wt/sub/new.txt
	assert_git_agrees wt/sub
	assert_json detached true
}

# submodule_repo: super/ with sub/ as a submodule of src-sub/.
submodule_repo() {
	new_repo src-sub
	new_repo super
	git -C super submodule add -q "$T/src-sub" sub 2>/dev/null
	git -C super commit -q -m 'add sub'
}

@test "layout - submodule - from inside it" {
	submodule_repo
	dirty super/sub
	assert_git_agrees super/sub
	assert_json workdir "$T/super/sub"
	assert_json gitdir "$T/super/.git/modules/sub"
	assert_json staged 1
}

@test "layout - submodule - parent ignores the submodule's own changes" {
	submodule_repo
	dirty super/sub
	assert_git_agrees super
	assert_json staged 0
	assert_json unstaged 0
	assert_json untracked 0
}

@test "layout - submodule - parent sees a new submodule commit" {
	submodule_repo
	printf 'two\n' >> super/sub/tracked.txt
	git -C super/sub commit -q -a -m two
	assert_git_agrees super
	assert_json unstaged 1
}

@test "layout - submodule - not initialised in a fresh clone" {
	submodule_repo
	git clone -q super copy
	[[ -d copy/sub && ! -e copy/sub/.git ]]
	assert_git_agrees copy
}

@test "layout - .git file - written by --separate-git-dir" {
	git init -q --separate-git-dir "$T/store.git" r
	printf 'one\n' > r/tracked.txt
	git -C r add tracked.txt
	git -C r commit -q -m initial
	dirty r
	[[ -f r/.git ]]
	assert_git_agrees r
	assert_json gitdir "$T/store.git"
	assert_json workdir "$T/r"
}

@test "layout - .git file - relative path written by hand" {
	new_repo r
	mv r/.git moved.git
	printf 'gitdir: ../moved.git\n' > r/.git
	dirty r
	assert_git_agrees r
	assert_json gitdir "$T/moved.git"
}

@test "layout - .git file - clone with --separate-git-dir" {
	new_repo src
	git clone -q --separate-git-dir "$T/cl.git" src cl
	dirty cl
	assert_git_agrees cl
	assert_json gitdir "$T/cl.git"
	assert_json upstream origin/main
}

@test "layout - environment - GIT_DIR and GIT_WORK_TREE" {
	new_repo r
	mv r/.git meta.git
	export GIT_DIR=$T/meta.git GIT_WORK_TREE=$T/r
	dirty r
	mkdir r/sub
	assert_git_agrees r/sub
	assert_json gitdir "$T/meta.git"
	assert_json workdir "$T/r"
	assert_json staged 1
}

@test "layout - environment - GIT_DIR alone, from the top" {
	new_repo r
	mv r/.git meta.git
	export GIT_DIR=$T/meta.git
	dirty r
	assert_git_agrees r
	assert_json workdir "$T/r"
}

@test "layout - core.worktree - set in a git dir found by GIT_DIR" {
	new_repo r
	mv r/.git meta.git
	git --git-dir=meta.git config core.worktree "$T/r"
	mkdir r/sub
	export GIT_DIR=$T/meta.git
	dirty r
	assert_git_agrees r/sub
	assert_json workdir "$T/r"
	assert_json untracked 1
}

@test "layout - core.worktree - relative, behind a .git file" {
	new_repo r
	mv r/.git meta.git
	git --git-dir=meta.git config core.worktree ../r
	printf 'gitdir: %s\n' "$T/meta.git" > r/.git
	dirty r
	assert_git_agrees r
	assert_json workdir "$T/r"
}

# source_repo: src/ with three commits, servable as a partial clone.
source_repo() {
	new_repo src
	mkdir src/dir
	printf 'a\n' > src/dir/a.txt
	git -C src add dir
	git -C src commit -q -m two
	printf 'b\n' >> src/dir/a.txt
	git -C src commit -q -a -m three
	git -C src config uploadpack.allowFilter true
}

@test "layout - shallow clone - depth 1" {
	source_repo
	git clone -q --depth 1 "file://$T/src" sh
	[[ -f sh/.git/shallow ]]
	dirty sh
	assert_git_agrees sh
}

@test "layout - shallow clone - ahead of its upstream" {
	source_repo
	git clone -q --depth 1 "file://$T/src" sh
	printf 'mine\n' >> sh/tracked.txt
	git -C sh commit -q -a -m mine
	assert_git_agrees sh
	assert_json ahead 1
}

@test "layout - shallow clone - diverged after a shallow fetch" {
	source_repo
	git clone -q --depth 1 "file://$T/src" sh
	printf 'mine\n' >> sh/tracked.txt
	git -C sh commit -q -a -m mine
	printf 'theirs\n' > src/theirs.txt
	git -C src add theirs.txt
	git -C src commit -q -m theirs
	git -C sh fetch -q --depth 1
	assert_git_agrees sh
}

@test "layout - partial clone - blobless" {
	source_repo
	git clone -q --filter=blob:none "file://$T/src" pc
	[[ $(git -C pc config remote.origin.promisor) == true ]]
	dirty pc
	touch -d '@1704067300' pc/dir/a.txt
	assert_git_agrees pc
	assert_json staged 1
}

@test "layout - partial clone - sparse, blobs outside the cone missing" {
	source_repo
	git clone -q --filter=blob:none --sparse "file://$T/src" pc
	[[ ! -e pc/dir/a.txt ]]
	printf 'x\n' > pc/new.txt
	assert_git_agrees pc
	assert_json untracked 1
}

@test "layout - path - repository in a directory with spaces" {
	new_repo 'my repo'
	dirty 'my repo'
	assert_git_agrees 'my repo'
	assert_json workdir "$T/my repo"
}

@test "layout - nested repository - the inner one answers" {
	new_repo outer
	new_repo outer/inner
	dirty outer/inner
	git -C outer/inner checkout -q -b inner-branch
	assert_git_agrees outer/inner
	assert_json branch inner-branch
	assert_json workdir "$T/outer/inner"
}

# other_owner DIR: as root, hand DIR to a user the test creates.
other_owner() {
	local user=atprompt-owner
	id "$user" >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin \
		    "$user"
	chown -R "$user" "$1"
}

# trap_programs DIR: configure every program git could be asked to run
# while reading DIR, each leaving a canary behind.
trap_programs() {
	local c=$T/canary
	git -C "$1" config core.fsmonitor "touch '$c-fsmonitor'"
	git -C "$1" config core.pager "touch '$c-pager'"
	git -C "$1" config filter.x.clean "touch '$c-clean'; cat"
	git -C "$1" config filter.x.process "touch '$c-process'"
	printf '* filter=x\n' > "$1/.gitattributes"
	printf '#!/bin/sh\ntouch %s-hook\n' "$c" \
	    > "$1/.git/hooks/post-index-change"
	chmod +x "$1/.git/hooks/post-index-change"
}

@test "layout - other owner - refused like git, and said so" {
	[[ $(id -u) -eq 0 ]] || skip "needs root to give the repository away"
	new_repo r
	dirty r
	trap_programs r
	other_owner r
	run -128 git -C r status --porcelain
	[[ $output == *"dubious ownership"* ]]
	assert_degraded r
	assert_json branch null
	[[ $(jq -r .error <<<"$ATP_JSON") == *own* ]]
	[[ -z $(compgen -G "$T/canary*") ]]
}

@test "layout - other owner - listed in safe.directory" {
	[[ $(id -u) -eq 0 ]] || skip "needs root to give the repository away"
	new_repo r
	dirty r
	trap_programs r
	git config --global --add safe.directory "$T/r"
	other_owner r
	atp_json r
	[[ -z $(compgen -G "$T/canary*") ]]
	git config -f r/.git/config --unset core.fsmonitor
	git config -f r/.git/config --unset filter.x.process
	git config -f r/.git/config --unset filter.x.clean
	assert_git_agrees r
}

@test "layout - deleted current directory - exit 0, nothing guessed" {
	new_repo r
	mkdir r/gone
	cd r/gone
	rmdir "$T/r/gone"
	run --separate-stderr "$ATPROMPT" --json
	assert_success
	assert_equal "$stderr" ""
	jq -e . >/dev/null <<<"$output"
	[[ $(jq -r .complete <<<"$output") == false ]]
	run --separate-stderr env NO_COLOR=1 "$ATPROMPT" --shell plain
	assert_success
	assert_equal "$stderr" ""
	[[ $output == *"> " ]]
}
