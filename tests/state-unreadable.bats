# Repository state: what libgit2 cannot read.  SHA-256 object format,
# reftable refs, an unknown repository extension, a broken index,
# missing objects, a broken config, unreadable parts of the work tree.
# Each must exit 0 with a quiet stderr, print what could be read, show
# the ? marker, and say complete:false with a one-line error that
# --explain repeats.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	new_repo r
	printf 'more\n' >> r/tracked.txt
	printf 'new\n' > r/new.txt
}

teardown() {
	chmod -R u+rwX "$BATS_TEST_TMPDIR" 2>/dev/null || true
}

# loose_object DIR OID: the path of OID's loose object in DIR.
loose_object() {
	printf '%s/.git/objects/%s/%s' "$1" "${2:0:2}" "${2:2}"
}

# patch_byte FILE OFFSET: flip one byte of FILE in place.
patch_byte() {
	local old
	old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf '%b' "$(printf '\\0%03o' $((old ^ 0xff)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

@test "unreadable - sha256 object format - degraded" {
	git init -q --object-format=sha256 s
	printf 'one\n' > s/tracked.txt
	git -C s add tracked.txt
	git -C s commit -q -m initial
	printf 'x\n' > s/new.txt
	assert_degraded s
}

@test "unreadable - sha256 object format - branch still shown" {
	git init -q --object-format=sha256 s
	printf 'one\n' > s/tracked.txt
	git -C s add tracked.txt
	git -C s commit -q -m initial
	atp_json s
	assert_json branch main
	prompt_label s
	assert_equal "$PROMPT_TEXT" "main"
}

@test "unreadable - reftable - degraded" {
	git init -q --ref-format=reftable f 2>/dev/null ||
		skip "git $(git version | cut -d' ' -f3) has no reftable"
	printf 'one\n' > f/tracked.txt
	git -C f add tracked.txt
	git -C f commit -q -m initial
	assert_degraded f
}

@test "unreadable - unknown repository extension - degraded" {
	git -C r config core.repositoryformatversion 1
	git -C r config extensions.frobnicate true
	run git -C r status
	assert_failure
	assert_degraded r
}

@test "unreadable - unknown repository extension - branch still shown" {
	git -C r config core.repositoryformatversion 1
	git -C r config extensions.frobnicate true
	atp_json r
	assert_json branch main
}

@test "unreadable - truncated index - degraded, HEAD read" {
	head -c 60 r/.git/index > r/index.part
	mv r/index.part r/.git/index
	run git -C r status
	assert_failure
	assert_degraded r
	assert_json branch main
	assert_json head "$(git -C r rev-parse HEAD)"
}

@test "unreadable - corrupt index signature - degraded, HEAD read" {
	git -C r add new.txt
	patch_byte r/.git/index 1
	run git -C r status
	assert_failure
	assert_degraded r
	assert_json branch main
	assert_json head "$(git -C r rev-parse HEAD)"
}

@test "unreadable - empty index file - degraded" {
	: > r/.git/index
	run git -C r status
	assert_failure
	assert_degraded r
	assert_json branch main
	# The reader's own reason, not a fallback's.
	assert_json error "index truncated"
}

@test "unreadable - unknown mandatory index extension - degraded" {
	local body=$BATS_TEST_TMPDIR/body sum
	head -c -20 r/.git/index > "$body"
	printf 'abcd\0\0\0\0' >> "$body"
	sum=$(sha1sum "$body" | cut -c1-40)
	xxd -r -p <<<"$sum" >> "$body"
	mv "$body" r/.git/index
	run git -C r status
	assert_failure
	[[ $output == *abcd* ]]
	assert_degraded r
	assert_json branch main
}

@test "unreadable - broken index - nothing written to .git" {
	head -c 60 r/.git/index > r/index.part
	mv r/index.part r/.git/index
	assert_no_writes r r/.git
}

@test "unreadable - missing HEAD tree - degraded, HEAD read" {
	rm "$(loose_object r "$(git -C r rev-parse 'HEAD^{tree}')")"
	run git -C r status
	assert_failure
	assert_degraded r
	assert_json branch main
	assert_json head "$(git -C r rev-parse HEAD)"
}

@test "unreadable - missing HEAD commit - degraded, branch read" {
	rm "$(loose_object r "$(git -C r rev-parse HEAD)")"
	assert_degraded r
	assert_json branch main
}

@test "unreadable - missing subtree object - degraded" {
	mkdir r/dir
	printf 'x\n' > r/dir/x.txt
	git -C r add dir
	git -C r commit -q -m dir
	rm "$(loose_object r "$(git -C r rev-parse HEAD:dir)")"
	# A staged change under dir/ leaves the cache tree no proof, so
	# the missing tree has to be read.
	printf 'y\n' > r/dir/x.txt
	git -C r add dir/x.txt
	assert_degraded r
	assert_json branch main
}
@test "unreadable - missing subtree object - cache tree proves nothing staged" {
	mkdir r/dir
	printf 'x\n' > r/dir/x.txt
	git -C r add dir
	git -C r commit -q -m dir
	rm "$(loose_object r "$(git -C r rev-parse HEAD:dir)")"
	# The index records HEAD's own tree id: nothing needs reading.
	[[ $(git -C r rev-parse HEAD^{tree}) == \
	    "$(git -C r rev-parse HEAD^{tree})" ]]
	atp_json r
	assert_json staged 0
	assert_json complete true
}

@test "unreadable - missing upstream commit - degraded" {
	git -C r stash -q -u
	git clone -q r c
	printf 'two\n' >> r/tracked.txt
	git -C r commit -q -a -m two
	git -C c fetch -q
	printf 'mine\n' >> c/tracked.txt
	git -C c commit -q -a -m mine
	rm "$(loose_object c "$(git -C c rev-parse origin/main)")"
	# Only --json and --explain count commits against the upstream: the
	# default look never shows them, so the prompt has nothing to miss.
	atp_json c
	assert_json complete false
	[[ $(jq -r .error <<<"$ATP_JSON") == *upstream* ]]
	assert_json branch main
	plain_prompt c
	[[ $PROMPT_TEXT != *"?"* ]]
}

@test "unreadable - malformed config - degraded" {
	printf '[core\n\tbare = maybe\n' >> r/.git/config
	run git -C r status
	assert_failure
	assert_degraded r
}

@test "unreadable - untracked directory without permission - degraded" {
	[[ $(id -u) -ne 0 ]] || skip "root reads every directory"
	mkdir r/secret
	printf 'x\n' > r/secret/x
	chmod 000 r/secret
	assert_degraded r
}

@test "unreadable - tracked directory without permission - degraded" {
	[[ $(id -u) -ne 0 ]] || skip "root reads every directory"
	mkdir r/locked
	printf 'x\n' > r/locked/x.txt
	git -C r add locked
	git -C r commit -q -m locked
	chmod 000 r/locked
	assert_degraded r
}

@test "unreadable - tracked file without permission, stat changed" {
	[[ $(id -u) -ne 0 ]] || skip "root reads every file"
	# Same size as in the index, so only its content can tell; the
	# set-up's append would settle it by size alone, as git does.
	git -C r checkout -q -- tracked.txt
	touch -d '@1704067300' r/tracked.txt
	chmod 000 r/tracked.txt
	assert_degraded r
}
