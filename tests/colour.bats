# Colours come from terminfo for TERM; NO_COLOR set to anything
# non-empty, or a terminal without colours, gives none, and never a
# word on stderr.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	new_repo r
	printf 'new\n' > r/untracked.txt
	printf 'staged\n' > r/staged.txt
	git -C r add staged.txt
	printf 'two\n' >> r/tracked.txt
	BUSY=(-C r --status 1 --duration 5000 --jobs 2)
}

# assert_no_colour [ENV...]: under the given environment, every way of
# drawing the prompt exits 0, prints no ESC and nothing on stderr, and
# still shows the three markers as text.
assert_no_colour() {
	local sh
	for sh in "" bash zsh fish plain; do
		run --separate-stderr env "$@" "$ATPROMPT" \
		    ${sh:+--shell "$sh"} "${BUSY[@]}"
		assert_success
		assert_equal "$stderr" ""
		[[ $output != *$'\e'* ]] ||
			fail "${sh:-terminal}: ESC in $(printf %q "$output")"
		[[ $output != *[$'\001\002']* && $output != *'%{'* ]] ||
			fail "${sh:-terminal}: markers without sequences"
		[[ $output == *" (main) @ @ @ [1] 5s &2 > " ]] ||
			fail "${sh:-terminal}: got $(printf %q "$output")"
	done
}

# assert_colour [ENV...]: under the given environment the prompt is
# coloured with the terminal's own setaf.
assert_colour() {
	run --separate-stderr env "$@" "$ATPROMPT" "${BUSY[@]}"
	assert_success
	assert_equal "$stderr" ""
	local red
	red=$(env "$@" tput setaf 1)
	[[ -n $red && $output == *"$red@"* ]] ||
		fail "no red @ in $(printf %q "$output")"
}

@test "colour - xterm-256color - terminfo's sequences" {
	assert_colour TERM=xterm-256color
	[[ $output == *"$(tput setaf 2)@$(tput sgr0)"* ]]
	[[ $output == *"$(tput setaf 4)@$(tput sgr0)"* ]]
}

@test "colour - xterm with 8 colours - its own sequences" {
	infocmp xterm > /dev/null 2>&1 || skip "no terminfo entry for xterm"
	assert_colour TERM=xterm
}

@test "colour - NO_COLOR=1 - no escape at all" {
	assert_no_colour NO_COLOR=1
}

@test "colour - NO_COLOR with any text - no escape at all" {
	assert_no_colour NO_COLOR=false
	assert_no_colour NO_COLOR=0
}

@test "colour - NO_COLOR empty - still coloured" {
	assert_colour NO_COLOR=
}

@test "colour - TERM=dumb - no escape, quiet" {
	assert_no_colour TERM=dumb
}

@test "colour - unknown TERM - no escape, quiet" {
	assert_no_colour TERM=nonexistent-term
}

@test "colour - TERM empty - no escape, quiet" {
	assert_no_colour TERM=
}

@test "colour - TERM unset - no escape, quiet" {
	assert_no_colour -u TERM
}

@test "colour - TERM names a path - no escape, quiet" {
	assert_no_colour TERM=../../../etc/passwd
}

@test "colour - terminal without colours (vt100) - no escape, quiet" {
	infocmp vt100 > /dev/null 2>&1 || skip "no terminfo entry for vt100"
	assert_no_colour TERM=vt100
}

@test "colour - TERMINFO pointing nowhere - no escape, quiet" {
	assert_no_colour TERM=nonexistent-term TERMINFO="$BATS_TEST_TMPDIR/no"
}

@test "colour - outside a repository, no colour - plain text" {
	mkdir plain
	run --separate-stderr env NO_COLOR=1 "$ATPROMPT" -C plain
	assert_success
	assert_equal "$stderr" ""
	[[ $output != *$'\e'* ]]
	[[ $output == *":"*"/plain > " ]]
}

@test "colour - json - never coloured" {
	run --separate-stderr atp -C r --json
	assert_success
	[[ $output != *$'\e'* ]]
}

@test "colour - user - green, or bold red for root" {
	run --separate-stderr atp -C r --format '%F{user}%u%f'
	assert_success
	assert_equal "$stderr" ""
	if [[ $(id -u) == 0 ]]; then
		want=$(tput bold)$(tput setaf 1)$(id -un)$(tput sgr0)
	else
		want=$(tput setaf 2)$(id -un)$(tput sgr0)
	fi
	assert_output "$want"
}

@test "colour - user in the default look - same colour as %F{user}" {
	run --separate-stderr atp -C r --format '%F{user}%u@%h%f'
	user_part=$output
	run --separate-stderr atp -C r
	assert_success
	[[ $output == "$user_part:"* ]] ||
		fail "the default look does not start with the user's colour"
}

@test "colour - user, no colour - plain name" {
	run --separate-stderr env NO_COLOR=1 "$ATPROMPT" -C r \
	    --format '%F{user}%B%u%f'
	assert_success
	assert_output "$(id -un)"
}

@test "colour - numbered and named colours - terminfo's setaf" {
	run --separate-stderr atp -C r --format '%F{208}a%F{cyan}b%f'
	assert_success
	assert_output "$(tput setaf 208)a$(tput setaf 6)b$(tput sgr0)"
}
