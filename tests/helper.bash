# Shared set-up for every test file: a private HOME and git config, a
# fixed terminal and locale, and helpers that read git's own answer so
# that tests compare atprompt with git rather than with typed numbers.

bats_load_library bats-support
bats_load_library bats-assert

# A fresh, isolated environment for each test.
common_setup() {
	: "${ATPROMPT:?run the suite through make test, or set ATPROMPT}"
	export HOME="$BATS_TEST_TMPDIR/home"
	mkdir -p "$HOME"
	cd "$BATS_TEST_TMPDIR" || return 1
	export GIT_CONFIG_NOSYSTEM=1
	export GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
	# Written at once: five git processes per test add up.
	cat > "$GIT_CONFIG_GLOBAL" <<-'EOF'
	[user]
		name = Test User
		email = test@example.invalid
	[init]
		defaultBranch = main
	[advice]
		detachedHead = false
	[protocol "file"]
		allow = always
	EOF
	export GIT_AUTHOR_DATE='2024-01-01T00:00:00Z'
	export GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'
	export GIT_CEILING_DIRECTORIES="$BATS_TEST_TMPDIR"
	export TERM=xterm-256color LC_ALL=C.UTF-8
	unset NO_COLOR GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE VIRTUAL_ENV
	unset ATPROMPT_FORMAT ATPROMPT_TIMEOUT PWD_SAVED
	export ATPROMPT_TIMEOUT=0
}

# atp ARGS...: run the binary under test.
atp() {
	"$ATPROMPT" "$@"
}

# new_repo DIR: a repository with one commit on main.
new_repo() {
	git init -q "$1"
	printf 'one\n' > "$1/tracked.txt"
	git -C "$1" add tracked.txt
	git -C "$1" commit -q -m initial
}

# json_field KEY [ARGS...]: one field of atprompt --json, as jq prints
# it (strings unquoted with -r).
json_field() {
	local key=$1
	shift
	atp --json "$@" | jq -r --arg k "$key" '.[$k]'
}

# git_oracle DIR: read git status --porcelain=v2 into ORACLE_* variables
# with the contract's semantics (submodules' own changes ignored).
git_oracle() {
	# Byte semantics: in a UTF-8 locale, read -d '' swallows the NUL
	# after a path that ends in a lone lead byte.
	local line LC_ALL=C
	ORACLE_branch= ORACLE_head= ORACLE_upstream= ORACLE_ahead=0
	ORACLE_behind=0 ORACLE_staged=0 ORACLE_unstaged=0
	ORACLE_untracked=0 ORACLE_conflicted=0 ORACLE_stashes=0
	while IFS= read -r -d '' line; do
		case $line in
		"# branch.oid "*) ORACLE_head=${line#"# branch.oid "} ;;
		"# branch.head "*) ORACLE_branch=${line#"# branch.head "} ;;
		"# branch.upstream "*)
			ORACLE_upstream=${line#"# branch.upstream "} ;;
		"# branch.ab "*)
			line=${line#"# branch.ab +"}
			ORACLE_ahead=${line%% *}
			ORACLE_behind=${line##* -} ;;
		"# stash "*) ORACLE_stashes=${line#"# stash "} ;;
		"1 "* | "2 "*)
			[[ ${line:2:1} != . ]] && ORACLE_staged=$((ORACLE_staged + 1))
			[[ ${line:3:1} != . ]] &&
				ORACLE_unstaged=$((ORACLE_unstaged + 1))
			true ;;
		"u "*) ORACLE_conflicted=$((ORACLE_conflicted + 1)) ;;
		"? "*) ORACLE_untracked=$((ORACLE_untracked + 1)) ;;
		esac
	done < <(git -C "$1" status --porcelain=v2 -z --branch --show-stash \
	    --ignore-submodules=dirty --no-renames --untracked-files=normal)
	[[ $ORACLE_head == "(initial)" ]] && ORACLE_head=null
	[[ $ORACLE_branch == "(detached)" ]] && ORACLE_branch=null
	[[ -z $ORACLE_upstream ]] && ORACLE_upstream=null
	true
}

# assert_matches_git DIR: every field git reports agrees with --json.
assert_matches_git() {
	local dir=$1 json field want got
	git_oracle "$dir"
	json=$(atp -C "$dir" --json)
	for field in branch head upstream ahead behind staged unstaged \
	    untracked conflicted stashes; do
		want=ORACLE_$field
		want=${!want}
		got=$(jq -r --arg k "$field" '.[$k]' <<<"$json")
		if [[ $got != "$want" ]]; then
			echo "field '$field': git says '$want', atprompt '$got'"
			echo "json: $json"
			echo "git:"
			git -C "$dir" status --porcelain=v2 --branch --show-stash \
			    --ignore-submodules=dirty --no-renames
			return 1
		fi
	done
	[[ $(jq -r .complete <<<"$json") == true ]] ||
		{ echo "not complete: $json"; return 1; }
}

# strip_sgr: remove terminal escape sequences, to read the text alone.
strip_sgr() {
	sed -e 's/\x1b\[[0-9;]*m//g' -e 's/\x1b(B//g' -e 's/[\x01\x02]//g'
}

# The helpers below serve the tests/state-*.bats files.  They run
# atprompt before git, because git status may refresh and rewrite the
# index, which would change the very state under test; git is then run
# with GIT_OPTIONAL_LOCKS=0 so that it does not write either.

# atp_json DIR [ARGS...]: atprompt --json in DIR must exit 0, keep
# stderr empty and print valid JSON; the object is left in $output and
# in ATP_JSON.
atp_json() {
	local dir=$1
	shift
	run --separate-stderr "$ATPROMPT" -C "$dir" --json "$@"
	if ((status != 0)) || [[ -n $stderr ]]; then
		echo "atprompt --json in '$dir': exit $status, stderr: $stderr"
		return 1
	fi
	jq -e . >/dev/null <<<"$output" ||
		{ echo "not JSON: $output"; return 1; }
	ATP_JSON=$output
}

# assert_json KEY WANT: one field of ATP_JSON, as jq -r prints it.
assert_json() {
	local got
	got=$(jq -r --arg k "$1" '.[$k]' <<<"$ATP_JSON")
	if [[ $got != "$2" ]]; then
		echo "field '$1': want '$2', atprompt says '$got'"
		echo "json: $ATP_JSON"
		return 1
	fi
}

# assert_git_agrees DIR: atprompt first, then git status (without
# optional locks); every field git reports must agree, the scan must be
# complete and stderr empty.
assert_git_agrees() {
	local dir=$1 field want got
	atp_json "$dir" || return 1
	GIT_OPTIONAL_LOCKS=0 git_oracle "$dir"
	for field in branch head upstream ahead behind staged unstaged \
	    untracked conflicted stashes; do
		want=ORACLE_$field
		want=${!want}
		got=$(jq -r --arg k "$field" '.[$k]' <<<"$ATP_JSON")
		if [[ $got != "$want" ]]; then
			echo "field '$field': git says '$want', atprompt '$got'"
			echo "json: $ATP_JSON"
			echo "git:"
			GIT_OPTIONAL_LOCKS=0 git -C "$dir" status \
			    --porcelain=v2 --branch --show-stash \
			    --ignore-submodules=dirty --no-renames
			return 1
		fi
	done
	assert_json complete true && assert_json error null
}

# plain_prompt DIR [ARGS...]: the prompt without colour; the text is
# left in PROMPT_TEXT.  Exit 0 and an empty stderr are required.
plain_prompt() {
	local dir=$1
	shift
	run --separate-stderr env NO_COLOR=1 "$ATPROMPT" -C "$dir" \
	    --shell plain "$@"
	if ((status != 0)) || [[ -n $stderr ]]; then
		echo "atprompt in '$dir': exit $status, stderr: $stderr"
		return 1
	fi
	PROMPT_TEXT=$output
}

# prompt_label DIR: what the prompt shows in its parentheses, such as
# "topic|REBASE 2/5", left in PROMPT_TEXT.
prompt_label() {
	plain_prompt "$1" --format '%b%[|%o%]'
}

# git_ps1 DIR: what git's own prompt script shows there, with every
# option left at its default, such as "topic|REBASE 2/5".
git_ps1() {
	(
		set +eu
		cd "$1" || exit 1
		unset "${!GIT_PS1_@}"
		# shellcheck disable=SC1091
		. /usr/lib/git-core/git-sh-prompt
		__git_ps1 '%s'
	)
}

# assert_op_label DIR WANT: the operation part of the label (after the
# first "|", empty when none) is WANT both in atprompt's prompt and in
# git's own; WANT is written in the test, so either side may fail it.
assert_op_label() {
	local dir=$1 want=$2 ours theirs
	prompt_label "$dir" || return 1
	ours=$PROMPT_TEXT
	theirs=$(GIT_OPTIONAL_LOCKS=0 git_ps1 "$dir")
	[[ $ours == *"|"* ]] && ours=${ours#*|} || ours=
	[[ $theirs == *"|"* ]] && theirs=${theirs#*|} || theirs=
	if [[ $theirs != "$want" ]]; then
		echo "git's prompt shows '$theirs', the test expects '$want'"
		return 1
	fi
	if [[ $ours != "$want" ]]; then
		echo "atprompt shows '$ours', git's prompt '$want'"
		echo "label: $PROMPT_TEXT"
		return 1
	fi
}

# assert_degraded DIR: a repository that cannot be read in full: exit 0,
# a quiet stderr, complete false, a one-line error, the ? marker in the
# prompt, and --explain giving the reason.  ATP_JSON is kept.
assert_degraded() {
	local dir=$1 error
	atp_json "$dir" || return 1
	assert_json repo true || return 1
	assert_json complete false || return 1
	error=$(jq -r .error <<<"$ATP_JSON")
	if [[ $error == null || -z $error || $error == *$'\n'* ]]; then
		echo "want a one-line error, got '$error'"
		return 1
	fi
	plain_prompt "$dir" || return 1
	if [[ $PROMPT_TEXT != *"?"* ]]; then
		echo "no ? marker in '$PROMPT_TEXT'"
		return 1
	fi
	run --separate-stderr "$ATPROMPT" -C "$dir" --explain
	if ((status != 0)) || [[ -n $stderr ]] ||
	    [[ $output != *"$error"* ]]; then
		echo "--explain: exit $status, stderr '$stderr'," \
		    "no '$error' in:"
		echo "$output"
		return 1
	fi
}

# gitdir_snapshot DIR: every entry under DIR with its type, mode, size
# and modification time, then every file's checksum.
gitdir_snapshot() {
	(
		cd "$1" || exit 1
		find . -printf '%y %m %s %T@ %p\n' | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z |
		    xargs -0 -r sha1sum
	)
}

# assert_no_writes DIR GITDIR: atprompt in each of its modes, run in
# DIR, leaves GITDIR exactly as it was: no lock file, no refreshed
# index, no new or touched file.
assert_no_writes() {
	local dir=$1 gitdir=$2 before after
	before=$(gitdir_snapshot "$gitdir")
	atp_json "$dir" || return 1
	plain_prompt "$dir" || return 1
	run --separate-stderr "$ATPROMPT" -C "$dir" --explain
	((status == 0)) || { echo "--explain: exit $status"; return 1; }
	run --separate-stderr "$ATPROMPT" -C "$dir" --shell bash
	((status == 0)) || { echo "--shell bash: exit $status"; return 1; }
	after=$(gitdir_snapshot "$gitdir")
	if [[ $before != "$after" ]]; then
		echo "atprompt changed $gitdir:"
		diff <(echo "$before") <(echo "$after")
		return 1
	fi
	if [[ -e $gitdir/index.lock ]]; then
		echo "index.lock left behind"
		return 1
	fi
}
