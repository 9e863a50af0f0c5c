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
	git config --global user.name "Test User"
	git config --global user.email test@example.invalid
	git config --global init.defaultBranch main
	git config --global advice.detachedHead false
	git config --global protocol.file.allow always
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
	local line
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
