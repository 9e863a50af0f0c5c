# --shell: every non-printing sequence marked the way each shell needs,
# and every name from the repository escaped so that a real bash or zsh
# shows it literally and never runs it.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	RESET=$(tput sgr0)
	new_repo r
	# Every colour the default look can draw: all markers, status,
	# duration and jobs.
	printf 'new\n' > r/untracked.txt
	printf 'staged\n' > r/staged.txt
	git -C r add staged.txt
	printf 'two\n' >> r/tracked.txt
	BUSY=(-C r --status 1 --duration 5000 --jobs 2)
}

# assert_bash_marked TEXT: every ESC lies between \001 and \002, each
# \001 opens on an ESC, the marks never nest and all of them close.
assert_bash_marked() {
	local b prev= inside=0 n=0 escs=0
	for b in $(printf '%s' "$1" | od -An -v -tx1); do
		case $b in
		01)
			((inside == 0)) || fail "\\001 inside \\001 at byte $n"
			inside=1 ;;
		02)
			((inside == 1)) || fail "\\002 without \\001 at byte $n"
			inside=0 ;;
		1b)
			((inside == 1)) || fail "ESC unmarked at byte $n"
			escs=$((escs + 1)) ;;
		*)
			[[ $prev != 01 ]] || fail "\\001 then no ESC at $n" ;;
		esac
		prev=$b
		n=$((n + 1))
	done
	((inside == 0)) || fail "\\001 never closed"
	((escs > 0)) || fail "no escape sequence at all"
}

# assert_zsh_marked TEXT: every ESC lies between %{ and %}, which never
# nest, and every other % is a doubled %%.
assert_zsh_marked() {
	local s=$1 c i inside=0 escs=0
	local LC_ALL=C
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		if [[ $c == % ]]; then
			case ${s:i+1:1} in
			'{')
				((inside == 0)) || fail "%{ inside %{ at $i"
				inside=1 ;;
			'}')
				((inside == 1)) || fail "%} without %{ at $i"
				inside=0 ;;
			%) ;;
			*) fail "bare %${s:i+1:1} at byte $i" ;;
			esac
			i=$((i + 1))
		elif [[ $c == $'\e' ]]; then
			((inside == 1)) || fail "ESC outside %{ %} at byte $i"
			escs=$((escs + 1))
		fi
	done
	((inside == 0)) || fail "%{ never closed"
	((escs > 0)) || fail "no escape sequence at all"
}

# assert_reset_at_end TEXT: the last sequence is the reset, so no colour
# runs on into what the user types.
assert_reset_at_end() {
	[[ $1 == *"$RESET"* ]] || fail "no reset at all"
	local tail=${1##*"$RESET"}
	[[ $tail != *$'\e'* ]] || fail "a sequence after the last reset"
}

# hostile NAME: a repository in a directory called NAME whose HEAD shows
# NAME too: as a branch when git allows the name, else as a tag that a
# detached HEAD sits on.
hostile() {
	HDIR=$1
	new_repo "$HDIR"
	if git check-ref-format --branch "$1" > /dev/null 2>&1; then
		git -C "$HDIR" checkout -q -b "$1"
	else
		git -C "$HDIR" rev-parse HEAD > "$HDIR/.git/refs/tags/$1"
		git -C "$HDIR" checkout -q --detach
	fi
	run --separate-stderr atp -C "$HDIR" --format '%b'
	assert_equal "$stderr" ""
	[[ -n $output ]] || fail "HEAD does not show the name"
}

# in_bash ARGS...: PS1 set from atprompt --shell bash ARGS, expanded by a
# real bash as a prompt (backslash decoding, then promptvars).
in_bash() {
	bash --norc --noprofile -c \
	    'PS1=$("$@") || exit; printf %s "${PS1@P}"' _ \
	    "$ATPROMPT" --shell bash "$@"
}

# in_bash_var ARGS...: as the shim does it, the text in a variable that
# PS1 only references.
in_bash_var() {
	bash --norc --noprofile -c \
	    'v=$("$@") || exit; PS1='\''${v}'\''; printf %s "${PS1@P}"' _ \
	    "$ATPROMPT" --shell bash --in-var "$@"
}

# in_zsh ARGS...: the output of atprompt --shell zsh ARGS through zsh's
# prompt expansion (-r: no echo-style backslash escapes, which a prompt
# does not have either).
in_zsh() {
	zsh -f -c 'print -rPn -- "$("$@")"' _ "$ATPROMPT" --shell zsh "$@"
}

# in_zsh_subst ARGS...: as the zsh shim does it under PROMPT_SUBST.
in_zsh_subst() {
	zsh -f -c 'setopt prompt_subst; v=$("$@") || exit
	    print -rPn -- '\''${v}'\' _ "$ATPROMPT" --shell zsh "$@"
}

# assert_shown_safely RENDERER VISIBLE: the rendered prompt shows the
# hostile name as VISIBLE in the path and in the parentheses, carries
# no escape but atprompt's own colours, and ran nothing.
assert_shown_safely() {
	run --separate-stderr "$1" -C "$HDIR"
	assert_success
	assert_equal "$stderr" ""
	local text
	text=$(strip_sgr <<<"$output")
	[[ $text == *"/$2 ($2) > " ]] ||
		fail "name not shown literally: $(printf %q "$text")"
	[[ $text != *[$'\e\a']* ]] || fail "raw control byte reached the screen"
	[[ ! -e pwned && ! -e "$HDIR/pwned" ]] || fail "the name ran as code"
}

@test "shell - bash - every ESC between \\001 and \\002" {
	run --separate-stderr atp --shell bash "${BUSY[@]}"
	assert_success
	assert_equal "$stderr" ""
	assert_bash_marked "$output"
	assert_reset_at_end "$output"
	[[ $(strip_sgr <<<"$output") == *" @ @ @ [1] 5s &2 > " ]]
}

@test "shell - bash - marked outside a repository and with ?" {
	mkdir plain
	run --separate-stderr atp --shell bash -C plain --status 3
	assert_success
	assert_bash_marked "$output"
	assert_reset_at_end "$output"
	truncate -s 10 r/.git/index
	run --separate-stderr atp --shell bash -C r
	assert_success
	assert_equal "$stderr" ""
	assert_bash_marked "$output"
	assert_reset_at_end "$output"
}

@test "shell - bash --in-var - still marked" {
	run --separate-stderr atp --shell bash --in-var "${BUSY[@]}"
	assert_success
	assert_bash_marked "$output"
	assert_reset_at_end "$output"
}

@test "shell - zsh - every ESC inside %{ %}" {
	run --separate-stderr atp --shell zsh "${BUSY[@]}"
	assert_success
	assert_equal "$stderr" ""
	assert_zsh_marked "$output"
	assert_reset_at_end "$output"
	[[ $(strip_sgr <<<"$output" | sed 's/%[{}]//g') == \
	    *" @ @ @ [1] 5s &2 > " ]]
}

@test "shell - zsh - marked outside a repository and with ?" {
	mkdir plain
	run --separate-stderr atp --shell zsh -C plain --status 3
	assert_success
	assert_zsh_marked "$output"
	assert_reset_at_end "$output"
	truncate -s 10 r/.git/index
	run --separate-stderr atp --shell zsh -C r
	assert_success
	assert_equal "$stderr" ""
	assert_zsh_marked "$output"
	assert_reset_at_end "$output"
}

@test "shell - terminal - colours reset before the end" {
	run --separate-stderr atp "${BUSY[@]}"
	assert_success
	assert_reset_at_end "$output"
	[[ $output != *[$'\001\002']* ]]
}

@test "shell - fish and plain - sequences bare, text as it is" {
	local sh
	new_repo 'a\b$c`d%e'
	for sh in fish plain; do
		run --separate-stderr atp --shell "$sh" "${BUSY[@]}"
		assert_success
		assert_equal "$stderr" ""
		[[ $output == *$'\e'* ]] || fail "$sh: no colour"
		[[ $output != *[$'\001\002']* && $output != *'%{'* ]] ||
			fail "$sh: shell markers in $(printf %q "$output")"
		assert_reset_at_end "$output"
		run atp --shell "$sh" -C 'a\b$c`d%e' --format '%w'
		[[ $output == */'a\b$c`d%e' ]] ||
			fail "$sh: text changed: $(printf %q "$output")"
	done
}

@test "shell - bash - \\ \$ and backtick escaped for decoding and expansion" {
	new_repo 'a\b$c`d%e'
	run --separate-stderr atp --shell bash -C 'a\b$c`d%e' --format '%w'
	assert_success
	[[ $output == */'a\\\\b\\$c\\`d%e' ]] ||
		fail "got $(printf %q "$output")"
}

@test "shell - zsh - % doubled, nothing else touched" {
	new_repo 'a\b$c`d%e'
	run --separate-stderr atp --shell zsh -C 'a\b$c`d%e' --format '%w'
	assert_success
	[[ $output == */'a\b$c`d%%e' ]] || fail "got $(printf %q "$output")"
}

@test "shell - bash --in-var - no backslash escaping" {
	new_repo 'a\b$c`d%e'
	run --separate-stderr atp --shell bash --in-var -C 'a\b$c`d%e' \
	    --format '%w'
	assert_success
	[[ $output == */'a\b$c`d%e' ]] || fail "got $(printf %q "$output")"
}

@test "shell - control bytes in a name - made visible in every shell" {
	local sh want
	hostile $'\e]0;title\a\xff\u202e'
	for sh in bash zsh fish plain; do
		run --separate-stderr atp --shell "$sh" -C "$HDIR" --format '%b'
		assert_success
		want='^[]0;title^G\xff\u202e'
		[[ $sh == bash ]] && want='^[]0;title^G\\\\xff\\\\u202e'
		[[ $output == "$want" ]] ||
			fail "$sh: got $(printf %q "$output")"
		[[ $output != *[$'\e\a']* ]] || fail "$sh: raw control byte"
	done
}

@test "shell - bash - \$(...) in a branch name - shown, never run" {
	hostile '$(touch${IFS}pwned)'
	assert_shown_safely in_bash '$(touch${IFS}pwned)'
	assert_shown_safely in_bash_var '$(touch${IFS}pwned)'
}

@test "shell - bash - \$(...) with a space in a tag name - shown, never run" {
	hostile '$(touch pwned)${HOME}'
	assert_shown_safely in_bash '$(touch pwned)${HOME}'
	assert_shown_safely in_bash_var '$(touch pwned)${HOME}'
}

@test "shell - bash - backticks in a tag name - shown, never run" {
	hostile '`touch pwned`'
	assert_shown_safely in_bash '`touch pwned`'
	assert_shown_safely in_bash_var '`touch pwned`'
}

@test "shell - bash - prompt escapes in a tag name - shown, not decoded" {
	hostile '\[\w\u\$\]\\'
	assert_shown_safely in_bash '\[\w\u\$\]\\'
	assert_shown_safely in_bash_var '\[\w\u\$\]\\'
}

@test "shell - bash - %F{red} in a branch name - shown" {
	hostile '%F{red}x%f'
	assert_shown_safely in_bash '%F{red}x%f'
}

@test "shell - bash - title sequence in a tag name - visible, inert" {
	hostile $'\e]0;title\a'
	assert_shown_safely in_bash '^[]0;title^G'
	assert_shown_safely in_bash_var '^[]0;title^G'
}

@test "shell - zsh - %F{red} in a branch name - shown literally" {
	hostile '%F{red}x%f%{'
	assert_shown_safely in_zsh '%F{red}x%f%{'
	assert_shown_safely in_zsh_subst '%F{red}x%f%{'
}

@test "shell - zsh - \$(...) in a branch name - shown, never run" {
	hostile '$(touch${IFS}pwned)'
	assert_shown_safely in_zsh '$(touch${IFS}pwned)'
	assert_shown_safely in_zsh_subst '$(touch${IFS}pwned)'
}

@test "shell - zsh - backticks and \\ in a tag name - shown, never run" {
	hostile '`touch pwned`\[\w'
	assert_shown_safely in_zsh '`touch pwned`\[\w'
	assert_shown_safely in_zsh_subst '`touch pwned`\[\w'
}

@test "shell - zsh - title sequence in a tag name - visible, inert" {
	hostile $'\e]0;title\a'
	assert_shown_safely in_zsh '^[]0;title^G'
	assert_shown_safely in_zsh_subst '^[]0;title^G'
}

@test "shell - terminal - hostile names reach the screen inert" {
	hostile $'\e]0;title\a$(x)%F{red}'
	run --separate-stderr atp -C "$HDIR"
	assert_success
	text=$(strip_sgr <<<"$output")
	[[ $text == *'/^[]0;title^G$(x)%F{red} (^[]0;title^G$(x)%F{red}) > ' ]]
	[[ $text != *[$'\e\a']* ]]
}
