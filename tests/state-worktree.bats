# Repository state: what the work tree and the index hold.  Intent to
# add, staged and unstaged edits, deletions, modes, type changes, line
# ending and filter attributes on unchanged files, racy timestamps,
# index bits that hide changes, sparse checkouts, ignore rules at every
# level, untracked directories, and awkward path names.  git status is
# the oracle; atprompt runs first, since git may refresh the index.

bats_require_minimum_version 1.5.0
load helper

# A fixed past time for timestamps that must be equal.
PAST=1704067200

setup() {
	common_setup
	new_repo r
}

# commit_files DIR NAME...: add and commit NAME... with their own name
# as content, creating directories as needed.
commit_files() {
	local dir=$1 f
	shift
	for f; do
		mkdir -p "$dir/$(dirname "$f")"
		printf '%s\n' "$f" > "$dir/$f"
	done
	git -C "$dir" add -- "$@"
	git -C "$dir" commit -q -m "add $*"
}

# restat FILE...: give files a new modification time, contents kept,
# so that only a content comparison can tell they did not change.
restat() {
	touch -d "@$((PAST + 7))" "$@"
}

@test "worktree - clean - nothing to report" {
	assert_git_agrees r
	plain_prompt r --format '%m'
	assert_equal "$PROMPT_TEXT" ""
}

@test "worktree - intent-to-add - new file with content" {
	printf 'later\n' > r/new.txt
	git -C r add -N new.txt
	assert_git_agrees r
	assert_json staged 0
	assert_json unstaged 1
	assert_json untracked 0
}

@test "worktree - intent-to-add - empty file" {
	: > r/empty.txt
	git -C r add -N empty.txt
	assert_git_agrees r
}

@test "worktree - intent-to-add - beside a staged file" {
	printf 'a\n' > r/a.txt
	printf 'b\n' > r/b.txt
	git -C r add a.txt
	git -C r add -N b.txt
	assert_git_agrees r
	assert_json staged 1
	assert_json unstaged 1
}

@test "worktree - staged then modified - counted on both sides" {
	printf 'staged\n' >> r/tracked.txt
	git -C r add tracked.txt
	printf 'again\n' >> r/tracked.txt
	assert_git_agrees r
	assert_json staged 1
	assert_json unstaged 1
	plain_prompt r --format '%m'
	assert_equal "$PROMPT_TEXT" "@ @"
}

@test "worktree - staged then reverted - staged only" {
	printf 'staged\n' >> r/tracked.txt
	git -C r add tracked.txt
	printf 'one\n' > r/tracked.txt
	assert_git_agrees r
	assert_json staged 1
	assert_json unstaged 1
}

@test "worktree - deletion - staged" {
	git -C r rm -q tracked.txt
	assert_git_agrees r
	assert_json staged 1
	assert_json unstaged 0
}

@test "worktree - deletion - unstaged" {
	rm r/tracked.txt
	assert_git_agrees r
	assert_json staged 0
	assert_json unstaged 1
}

@test "worktree - deletion - staged with the file kept untracked" {
	git -C r rm -q --cached tracked.txt
	assert_git_agrees r
	assert_json staged 1
	assert_json untracked 1
}

@test "worktree - rename - staged as a deletion and an addition" {
	git -C r mv tracked.txt moved.txt
	assert_git_agrees r
	assert_json staged 2
}

@test "worktree - mode change - core.fileMode true" {
	git -C r config core.fileMode true
	chmod +x r/tracked.txt
	assert_git_agrees r
	assert_json unstaged 1
}

@test "worktree - mode change - core.fileMode false" {
	git -C r config core.fileMode false
	chmod +x r/tracked.txt
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - mode change - staged with core.fileMode false" {
	git -C r config core.fileMode false
	git -C r update-index --chmod=+x tracked.txt
	assert_git_agrees r
	assert_json staged 1
	assert_json unstaged 0
}

@test "worktree - mode change - staged, file still not executable" {
	git -C r config core.fileMode true
	git -C r update-index --chmod=+x tracked.txt
	assert_git_agrees r
	assert_json staged 1
	assert_json unstaged 1
}

@test "worktree - type change - file replaced by a symlink" {
	rm r/tracked.txt
	ln -s elsewhere r/tracked.txt
	assert_git_agrees r
	assert_json unstaged 1
	assert_json untracked 0
}

@test "worktree - type change - symlink replaced by a file" {
	ln -s tracked.txt r/link
	git -C r add link
	git -C r commit -q -m link
	rm r/link
	printf 'now a file\n' > r/link
	assert_git_agrees r
	assert_json unstaged 1
}

@test "worktree - type change - staged symlink" {
	rm r/tracked.txt
	ln -s elsewhere r/tracked.txt
	git -C r add tracked.txt
	assert_git_agrees r
	assert_json staged 1
	assert_json unstaged 0
}

@test "worktree - type change - file replaced by a directory" {
	rm r/tracked.txt
	mkdir r/tracked.txt
	printf 'inside\n' > r/tracked.txt/inside.txt
	assert_git_agrees r
	assert_json unstaged 1
}

@test "worktree - type change - file replaced by an empty directory" {
	rm r/tracked.txt
	mkdir r/tracked.txt
	assert_git_agrees r
	assert_json unstaged 1
	assert_json untracked 0
}

@test "worktree - line endings - core.autocrlf true, unchanged" {
	commit_files r a.txt sub/b.txt
	git -C r config core.autocrlf true
	rm r/a.txt r/sub/b.txt r/tracked.txt
	git -C r checkout -- .
	grep -q $'\r' r/a.txt
	restat r/a.txt r/sub/b.txt r/tracked.txt
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - line endings - core.autocrlf input, CRLF committed" {
	printf 'one\r\ntwo\r\n' > r/crlf.txt
	git -C r add crlf.txt
	git -C r commit -q -m crlf
	git -C r config core.autocrlf input
	restat r/crlf.txt
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - line endings - core.autocrlf true, CRLF committed" {
	printf 'one\r\ntwo\r\n' > r/crlf.txt
	git -C r add crlf.txt
	git -C r commit -q -m crlf
	git -C r config core.autocrlf true
	restat r/crlf.txt
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - line endings - eol=crlf attribute, unchanged" {
	commit_files r a.txt b.txt
	printf '*.txt text eol=crlf\n' > r/.gitattributes
	git -C r add .gitattributes
	git -C r commit -q -m attributes
	rm r/a.txt r/b.txt
	git -C r checkout -- a.txt b.txt
	grep -q $'\r' r/a.txt
	restat r/a.txt r/b.txt
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - line endings - text=auto with core.eol crlf" {
	commit_files r a.txt
	printf '* text=auto\n' > r/.gitattributes
	git -C r add .gitattributes
	git -C r commit -q -m attributes
	git -C r config core.eol crlf
	rm r/a.txt
	git -C r checkout -- a.txt
	restat r/a.txt
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - line endings - eol=crlf attribute, real change" {
	commit_files r a.txt
	printf '*.txt text eol=crlf\n' > r/.gitattributes
	git -C r add .gitattributes
	git -C r commit -q -m attributes
	printf 'changed\r\n' > r/a.txt
	assert_git_agrees r
	assert_json unstaged 1
}

@test "worktree - ident attribute - expanded keyword, unchanged" {
	printf '*.c ident\n' > r/.gitattributes
	printf '/* $Id$ */\n' > r/x.c
	git -C r add .gitattributes x.c
	git -C r commit -q -m ident
	rm r/x.c
	git -C r checkout -- x.c
	grep -q 'Id: [0-9a-f]' r/x.c
	restat r/x.c
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - working-tree-encoding - UTF-16 file, unchanged" {
	printf '*.u16 text working-tree-encoding=UTF-16LE eol=lf\n' \
	    > r/.gitattributes
	git -C r add .gitattributes
	git -C r commit -q -m attributes
	printf 'caf\xc3\xa9\n' | iconv -f UTF-8 -t UTF-16LE > r/text.u16
	git -C r add text.u16
	git -C r commit -q -m utf16
	[[ $(git -C r cat-file blob HEAD:text.u16) == $'caf\xc3\xa9' ]]
	restat r/text.u16
	assert_git_agrees r
	assert_json unstaged 0
}

# lfs_pointer DIR NAME: commit an LFS-style pointer NAME under a
# filter=lfs attribute, then configure an lfs filter whose every
# command leaves a canary file behind: atprompt must never run it.
lfs_pointer() {
	local dir=$1 name=$2 canary=$BATS_TEST_TMPDIR/canary
	printf '*.bin filter=lfs diff=lfs merge=lfs -text\n' \
	    > "$dir/.gitattributes"
	printf 'version https://git-lfs.github.com/spec/v1\n%s\n%s\n' \
	    "oid sha256:$(printf big | sha256sum | cut -c1-64)" \
	    'size 3' > "$dir/$name"
	git -C "$dir" add .gitattributes "$name"
	git -C "$dir" commit -q -m pointer
	git -C "$dir" config filter.lfs.clean "touch '$canary-clean'; cat"
	git -C "$dir" config filter.lfs.smudge "touch '$canary-smudge'; cat"
	git -C "$dir" config filter.lfs.required false
}

# assert_no_canary: no filter or hook configured by a test ran.
assert_no_canary() {
	local c
	for c in "$BATS_TEST_TMPDIR"/canary*; do
		if [[ -e $c ]]; then
			echo "atprompt ran a configured program: $c exists"
			return 1
		fi
	done
}

@test "worktree - filter attribute - LFS pointer touched, never filtered" {
	lfs_pointer r big.bin
	restat r/big.bin
	atp_json r
	assert_no_canary
	assert_json unstaged 0
	assert_json complete true
	assert_git_agrees r
}

@test "worktree - filter attribute - LFS pointer changed in size" {
	lfs_pointer r big.bin
	printf 'not a pointer any more\n' > r/big.bin
	atp_json r
	assert_no_canary
	assert_json unstaged 1
	assert_git_agrees r
}

@test "worktree - filter attribute - no such driver, hashed as git does" {
	printf '*.bin filter=nothere\n' > r/.gitattributes
	printf 'aaaa\n' > r/x.bin
	printf 'aaaa\n' > r/y.bin
	git -C r add .gitattributes x.bin y.bin
	git -C r commit -q -m bins
	printf 'bbbb\n' > r/x.bin
	restat r/x.bin r/y.bin
	assert_git_agrees r
	assert_json unstaged 1
	# With a clean command configured, the rule above holds again.
	git -C r config filter.nothere.clean false
	atp_json r
	assert_json unstaged 0
}

@test "worktree - filter attribute - long-running process filter" {
	lfs_pointer r big.bin
	git -C r config filter.lfs.process \
	    "touch '$BATS_TEST_TMPDIR/canary-process'"
	git -C r config filter.lfs.required true
	restat r/big.bin
	printf 'x\n' > r/new.txt
	atp_json r
	assert_no_canary
	assert_json unstaged 0
	assert_json untracked 1
	assert_json complete true
}

# racy DIR FILE OLD NEW: FILE was committed holding OLD with its mtime
# at PAST, then rewritten with NEW (same size) and its mtime put back,
# and the index file's own mtime set to PAST too: the entry's stat data
# matches, and only its being as new as the index says to look inside.
racy() {
	local dir=$1 file=$2
	git -C "$dir" config core.trustctime false
	printf '%s\n' "$3" > "$dir/$file"
	touch -d "@$PAST" "$dir/$file"
	git -C "$dir" add "$file"
	git -C "$dir" commit -q -m racy
	printf '%s\n' "$4" > "$dir/$file"
	touch -d "@$PAST" "$dir/$file" "$dir/.git/index"
}

@test "worktree - racy - modified in the index's second" {
	racy r racy.txt aaaa bbbb
	assert_git_agrees r
	assert_json unstaged 1
}

@test "worktree - racy - untouched in the index's second" {
	racy r racy.txt aaaa aaaa
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - racy - smudged entry, content restored" {
	local future=$(($(date +%s) + 86400))
	git -C r config core.trustctime false
	printf 'aaaa\n' > r/racy.txt
	touch -d "@$future" r/racy.txt
	git -C r add racy.txt
	git -C r commit -q -m racy
	printf 'bbbb\n' > r/racy.txt
	touch -d "@$future" r/racy.txt
	printf 'extra\n' > r/extra.txt
	git -C r add extra.txt
	git -C r ls-files --debug racy.txt | grep -q 'size: 0	'
	printf 'aaaa\n' > r/racy.txt
	assert_git_agrees r
	assert_json unstaged 0
	assert_json staged 1
}

@test "worktree - racy - stat-dirty files, nothing written to .git" {
	commit_files r a.txt b/c.txt
	restat r/a.txt r/b/c.txt
	printf 'x\n' > r/untracked.txt
	assert_no_writes r r/.git
	assert_git_agrees r
}

@test "worktree - assume-unchanged - modified file hidden" {
	git -C r update-index --assume-unchanged tracked.txt
	printf 'hidden\n' >> r/tracked.txt
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - skip-worktree - modified file hidden" {
	git -C r update-index --skip-worktree tracked.txt
	printf 'hidden\n' >> r/tracked.txt
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - skip-worktree - deleted file hidden" {
	commit_files r a.txt
	git -C r update-index --skip-worktree a.txt
	rm r/a.txt
	assert_git_agrees r
	assert_json unstaged 0
}

# sparse_repo DIR: files at the top and in three directories.
sparse_repo() {
	commit_files "$1" top.txt a/1.txt a/deep/2.txt b/3.txt c/4.txt
}

@test "worktree - sparse checkout - cone" {
	sparse_repo r
	git -C r sparse-checkout set --cone a
	[[ ! -e r/b/3.txt ]]
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - sparse checkout - cone with changes inside and out" {
	sparse_repo r
	git -C r sparse-checkout set --cone a
	printf 'edit\n' >> r/a/1.txt
	mkdir -p r/c
	printf 'new\n' > r/c/new.txt
	assert_git_agrees r
	assert_json unstaged 1
}

@test "worktree - sparse checkout - non-cone patterns" {
	sparse_repo r
	git -C r sparse-checkout set --no-cone '/top.txt' '/b/' '*.md'
	[[ ! -e r/a/1.txt ]]
	assert_git_agrees r
	assert_json unstaged 0
}

@test "worktree - sparse checkout - non-cone with a staged change" {
	sparse_repo r
	git -C r sparse-checkout set --no-cone '/b/'
	printf 'edit\n' >> r/b/3.txt
	git -C r add b/3.txt
	assert_git_agrees r
	assert_json staged 1
}

# outside DIR: put back, outside the cone of DIR's sparse checkout, a
# changed file, an unchanged one, a directory where a file was, and
# untracked names beside them.
outside() {
	mkdir -p "$1/b" "$1/c/4.txt" "$1/c/fresh" "$1/extra/deep"
	printf 'changed\n' > "$1/b/3.txt"
	printf 'b/new.txt\n' > "$1/b/new.txt"
	printf 'c/4.txt inside\n' > "$1/c/4.txt/x"
	printf 'x\n' > "$1/c/fresh/f"
	printf 'x\n' > "$1/extra/deep/f"
}

@test "worktree - sparse checkout - skip-worktree files back on disk" {
	sparse_repo r
	git -C r sparse-checkout set --cone a
	outside r
	assert_git_agrees r
	assert_json unstaged 2
	printf 'b/3.txt\n' > r/b/3.txt
	assert_git_agrees r
	assert_json unstaged 1
}

@test "worktree - sparse index - a sparse directory back on disk" {
	sparse_repo r
	commit_files r c/sub/5.txt c/sub/6.txt
	git -C r sparse-checkout set --cone --sparse-index a
	git -C r ls-files --sparse | grep -qx 'c/'
	outside r
	mkdir -p r/c/sub
	printf 'c/sub/5.txt\n' > r/c/sub/5.txt
	printf 'edit\n' > r/c/sub/6.txt
	chmod +x r/c/sub/5.txt
	printf 'x\n' > r/c/sub/untracked
	assert_git_agrees r
	assert_json unstaged 4
	assert_no_writes r r/.git
}

@test "worktree - sparse index - a .gitignore only in the index still applies" {
	sparse_repo r
	commit_files r c/sub/5.txt
	printf '*.log\n' > r/c/.gitignore
	printf '*.tmp\n' > r/c/sub/.gitignore
	git -C r add c
	git -C r commit -q -m ignores
	git -C r sparse-checkout set --cone --sparse-index a
	mkdir -p r/c/d.log r/c/only-ignored r/c/sub
	printf 'x\n' > r/c/a.log
	printf 'x\n' > r/c/d.log/x
	printf 'x\n' > r/c/only-ignored/b.log
	printf 'x\n' > r/c/sub/t.tmp
	assert_git_agrees r
	assert_json untracked 0
	printf 'x\n' > r/c/kept.txt
	assert_git_agrees r
	assert_json untracked 1
}

@test "worktree - sparse index - a file where a sparse directory was" {
	sparse_repo r
	commit_files r c/sub/5.txt
	git -C r sparse-checkout set --cone --sparse-index a
	mkdir r/c
	printf 'x\n' > r/c/sub
	assert_git_agrees r
	assert_json untracked 1
	rm r/c/sub
	ln -s /nowhere r/c/sub
	assert_git_agrees r
	assert_json untracked 1
}

@test "worktree - sparse checkout - expectFilesOutsideOfPatterns keeps them out" {
	sparse_repo r
	git -C r sparse-checkout set --cone --sparse-index a
	git -C r config sparse.expectFilesOutsideOfPatterns true
	outside r
	assert_git_agrees r
	assert_json unstaged 0
	# The same without a sparse index.
	new_repo r2
	sparse_repo r2
	git -C r2 sparse-checkout set --cone a
	git -C r2 config sparse.expectFilesOutsideOfPatterns true
	outside r2
	assert_git_agrees r2
	assert_json unstaged 0
}

@test "worktree - ignored - .gitignore at many levels" {
	printf '*.log\n/build/\n' > r/.gitignore
	mkdir -p r/sub/deep
	printf 'tmp/\n!keep.log\n' > r/sub/.gitignore
	printf '*.dat\n' > r/sub/deep/.gitignore
	git -C r add .gitignore sub
	git -C r commit -q -m ignores
	mkdir -p r/build r/sub/tmp r/sub/build r/logs
	touch r/a.log r/build/x r/sub/keep.log r/sub/tmp/y r/sub/build/z \
	    r/sub/deep/z.dat r/sub/deep/new.txt r/logs/only.log
	assert_git_agrees r
	assert_json untracked 3
}

@test "worktree - ignored - info/exclude" {
	printf '*.tmp\nscratch/\n' >> r/.git/info/exclude
	mkdir r/scratch
	touch r/a.tmp r/scratch/x r/visible.txt
	assert_git_agrees r
	assert_json untracked 1
}

@test "worktree - ignored - core.excludesFile" {
	printf '*.swp\n' > "$HOME/ignores"
	git config --global core.excludesFile "$HOME/ignores"
	touch r/.a.swp r/b.swp r/c.txt
	assert_git_agrees r
	assert_json untracked 1
}

@test "worktree - ignored - default user ignore file under XDG" {
	mkdir -p "$HOME/.config/git"
	printf '*.bak\n' > "$HOME/.config/git/ignore"
	touch r/a.bak r/b.txt
	assert_git_agrees r
	assert_json untracked 1
}

@test "worktree - ignored - modified tracked file matching a pattern" {
	printf 'tracked.txt\n' > r/.git/info/exclude
	printf 'more\n' >> r/tracked.txt
	assert_git_agrees r
	assert_json unstaged 1
}

@test "worktree - ignored - directory ignoring itself" {
	mkdir r/cache
	printf '*\n' > r/cache/.gitignore
	touch r/cache/a r/cache/b
	assert_git_agrees r
	assert_json untracked 0
}

@test "worktree - untracked - directory counted once" {
	mkdir -p r/newdir/sub
	touch r/newdir/a r/newdir/b r/newdir/sub/c
	assert_git_agrees r
	assert_json untracked 1
}

@test "worktree - untracked - new directory inside a tracked one" {
	commit_files r src/main.c
	mkdir -p r/src/gen/deeper
	touch r/src/gen/deeper/x.c r/src/loose.c
	assert_git_agrees r
	assert_json untracked 2
}

@test "worktree - untracked - empty directories not counted" {
	mkdir -p r/empty r/nested/empty/too
	assert_git_agrees r
	assert_json untracked 0
}

@test "worktree - untracked - directory holding only ignored files" {
	printf '*.o\n' > r/.git/info/exclude
	mkdir -p r/obj/sub r/obj/empty
	touch r/obj/a.o r/obj/sub/b.o
	assert_git_agrees r
	assert_json untracked 0
}

@test "worktree - untracked - nested repository counted once" {
	new_repo r/inner
	printf 'dirty\n' > r/inner/dirty.txt
	assert_git_agrees r
	assert_json untracked 1
}

@test "worktree - untracked - .git that is no repository passed over" {
	mkdir -p r/empty/.git r/fifo r/nowhere r/badhead/.git/objects \
	    r/badhead/.git/refs r/minimal/.git/objects r/minimal/.git/refs \
	    r/deep/a/b r/linked
	mkfifo r/fifo/.git
	printf 'gitdir: /nonexistent\n' > r/nowhere/.git
	printf 'junk\n' > r/badhead/.git/HEAD
	printf 'ref: refs/heads/x\n' > r/minimal/.git/HEAD
	git init -q r/deep/a/b
	git init -q --separate-git-dir "$BATS_TEST_TMPDIR/sep" r/linked
	assert_git_agrees r
	assert_json untracked 3
	rm -r r/minimal r/deep r/linked
	assert_git_agrees r
	assert_json untracked 0
}

@test "worktree - untracked - FIFOs never counted, as git" {
	mkfifo r/pipe
	mkdir -p r/only-fifo r/sub
	mkfifo r/only-fifo/p
	printf 'x\n' > r/sub/kept
	git -C r add sub/kept
	git -C r commit -q -m sub
	mkfifo r/sub/p2
	assert_git_agrees r
	assert_json untracked 0
}

@test "worktree - untracked - symlink to a directory" {
	mkdir r/real
	ln -s real r/link
	touch r/real/file
	assert_git_agrees r
	assert_json untracked 2
}

@test "worktree - paths - spaces" {
	commit_files r 'dir with space/a b.txt'
	printf 'edit\n' >> 'r/dir with space/a b.txt'
	touch 'r/new file.txt'
	mkdir 'r/new dir'
	touch 'r/new dir/x y'
	assert_git_agrees r
	assert_json unstaged 1
	assert_json untracked 2
}

@test "worktree - paths - newlines and tabs" {
	commit_files r $'line\nbreak.txt' $'tab\there.txt'
	printf 'edit\n' >> r/$'line\nbreak.txt'
	git -C r rm -q --cached $'tab\there.txt'
	touch r/$'new\nfile'
	assert_git_agrees r
	assert_json unstaged 1
	assert_json staged 1
	assert_json untracked 2
}

@test "worktree - paths - bytes that are not UTF-8" {
	commit_files r $'caf\xe9.txt'
	printf 'edit\n' >> r/$'caf\xe9.txt'
	touch r/$'\xff\xfe.bin'
	mkdir r/$'dir\x80'
	touch r/$'dir\x80/x'
	assert_git_agrees r
	assert_json unstaged 1
	assert_json untracked 2
}

@test "worktree - paths - quotes, backslashes and a leading dash" {
	commit_files r '-dash.txt' 'back\slash.txt' '"quoted".txt'
	printf 'edit\n' >> 'r/back\slash.txt'
	git -C r rm -q -- '-dash.txt'
	touch "r/it's.txt"
	assert_git_agrees r
	assert_json staged 1
	assert_json unstaged 1
	assert_json untracked 1
}

@test "worktree - core.ignoreCase - a name in another case is not untracked" {
	git -C r config core.ignoreCase true
	commit_files r Docs/ReadMe.md src/Main.c
	printf 'x\n' > r/docs.txt
	printf 'x\n' > r/Docs/README.MD
	printf 'x\n' > r/src/MAIN.C
	assert_git_agrees r
	assert_json untracked 1
	assert_git_agrees r
}

@test "worktree - core.ignoreCase - a directory in another case, file by file" {
	git -C r config core.ignoreCase true
	commit_files r Lib/Util/a.c Lib/b.c
	mkdir -p r/lib/util r/lib/fresh r/lib/ignored r/LIB/empty
	printf 'x\n' > r/lib/B.C
	printf 'x\n' > r/lib/new1.c
	printf 'x\n' > r/lib/new2.c
	printf 'x\n' > r/lib/util/A.C
	printf 'x\n' > r/lib/util/new3.c
	printf 'x\n' > r/lib/fresh/f1
	printf 'x\n' > r/lib/fresh/f2
	printf 'x\n' > r/lib/ignored/f.TMP
	printf '*.tmp\n' > r/.git/info/exclude
	assert_git_agrees r
	assert_json untracked 4
	# Again, with the cache the first run left.
	assert_git_agrees r
}

@test "worktree - core.ignoreCase - patterns match any case" {
	git -C r config core.ignoreCase true
	printf '*.LOG\nBuild/\n' > r/.gitignore
	git -C r add .gitignore
	git -C r commit -q -m ignore
	mkdir -p r/build r/BUILD
	printf 'x\n' > r/build/out
	printf 'x\n' > r/BUILD/out
	printf 'x\n' > r/debug.log
	printf 'x\n' > r/Trace.Log
	printf 'x\n' > r/kept.txt
	assert_git_agrees r
	assert_json untracked 1
}

@test "worktree - core.ignoreCase false - case still counts" {
	commit_files r Docs/ReadMe.md
	printf 'x\n' > r/Docs/README.MD
	mkdir r/docs
	printf 'x\n' > r/docs/a
	printf 'x\n' > r/docs/b
	assert_git_agrees r
	assert_json untracked 2
}
