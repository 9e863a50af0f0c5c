# zsh with shells/atprompt.zsh, end to end: a real interactive zsh in
# tmux, read back from the screen.
load helper
load tmux

setup() {
	common_setup
	tmux_setup
	new_repo "$HOME/r"
	cd "$HOME/r" || return 1
}

teardown() {
	tmux_teardown
}

# use_shim: source the installed shim from .zshrc.  The prompt waits
# for the scan as long as it takes, so that what the screen shows right
# after a command is the full answer, however busy the machine; the
# async tests set _atprompt_wait themselves.
use_shim() {
	{
		echo ': ${_atprompt_wait:=60}'
		printf 'source %q\n' "$SHIMS/atprompt.zsh"
	} >> "$(rc_file zsh)"
}

rc() {
	printf '%s\n' "$@" >> "$(rc_file zsh)"
}

@test "shell zsh - untracked file - red @ on the screen" {
	use_shim
	tmux_start zsh
	tmux_run 'touch new.txt'
	run prompt_colours
	assert_output --partial ") $(tput_for_pane setaf 1)@"
}

@test "wrap - long command - 40 columns" {
	dirty_repo
	use_shim
	tmux_start zsh 40 24
	check_wrapping
}

@test "wrap - long command - 80 columns" {
	dirty_repo
	use_shim
	tmux_start zsh 80 24
	check_wrapping
}

@test "wrap - long command - after a resize" {
	dirty_repo
	use_shim
	tmux_start zsh 80 24
	check_resize
}

@test "hostile - branch and directory names - PROMPT_SUBST on" {
	hostile_fixture
	rc 'setopt prompt_subst'
	use_shim
	tmux_start zsh 100 30
	check_hostile
}

@test "hostile - branch and directory names - PROMPT_SUBST off" {
	hostile_fixture
	rc 'unsetopt prompt_subst'
	use_shim
	tmux_start zsh 100 30
	check_hostile
}

@test "hostile - branch and directory names - PROMPT_SUBST turned on by a later hook" {
	hostile_fixture
	rc 'unsetopt prompt_subst'
	use_shim
	# Off before the shim's hook, on again after it, at every prompt.
	rc '_off() { unsetopt prompt_subst; }; _on() { setopt prompt_subst; }'
	rc 'precmd_functions=(_off $precmd_functions _on)'
	tmux_start zsh 100 30
	check_hostile
}

@test "hostile - branch and directory names - PROMPT_BANG on" {
	hostile_fixture
	rc 'setopt prompt_bang'
	use_shim
	tmux_start zsh 100 30
	check_hostile
}

# hook NAME: a function NAME that logs NAME, $? and $pipestatus.
hook() {
	rc "$1() { print -r -- \"$1 \$? \$pipestatus\" >> ~/hooks.log; }"
}

last_log() {
	grep "^$1 " "$HOME/hooks.log" | tail -n 1
}

@test "hooks - precmd_functions and precmd before - run, see the status" {
	hook early
	hook precmd
	rc 'precmd_functions+=(early)'
	use_shim
	tmux_start zsh
	tmux_run 'false | true | (exit 3)'
	run last_log early
	assert_output "early 3 1 0 3"
	run last_log precmd
	assert_output "precmd 3 1 0 3"
	run prompt_text
	assert_output --partial "[3] > "
}

@test "hooks - add-zsh-hook after - runs and sees the status" {
	hook late
	hook late_exec
	use_shim
	rc 'autoload -Uz add-zsh-hook' 'add-zsh-hook precmd late' \
	    'add-zsh-hook preexec late_exec'
	tmux_start zsh
	tmux_run 'false | true | (exit 3)'
	run last_log late
	assert_output "late 3 1 0 3"
	run last_log late_exec
	assert_output --regexp '^late_exec '
	run prompt_text
	assert_output --partial "[3] > "
}

@test "status - \$? and \$pipestatus - as the command left them" {
	use_shim
	tmux_start zsh
	tmux_run 'false | true | (exit 3)'
	tmux_run 'print -r -- "ps=$pipestatus st=$?"'
	tmux_wait '^ps=1 0 3 st=3$'
	tmux_run 'false'
	tmux_run 'print -r -- "st=$?"'
	tmux_wait '^st=1$'
}

@test "status - non-zero exit - shown until a command succeeds" {
	use_shim
	tmux_start zsh
	tmux_run '(exit 7)'
	run prompt_text
	assert_output --regexp '\) \[7\] > $'
	tmux_run 'true'
	run prompt_text
	assert_output --regexp '\(main\) > $'
}

@test "duration - sleep 2 - shown from 2 s" {
	use_shim
	tmux_start zsh
	tmux_run 'sleep 2'
	run prompt_text
	assert_output --regexp '\) [0-9]+s > $'
	tmux_run 'true'
	run prompt_text
	assert_output --regexp '\(main\) > $'
}

@test "jobs - one in the background - counted" {
	use_shim
	tmux_start zsh
	tmux_run 'sleep 100 &'
	run prompt_text
	assert_output --regexp '\) &1 > $'
	tmux_run 'kill %1; wait'
	run prompt_text
	assert_output --regexp '\(main\) > $'
}

# check_survives: the prompt works, shows status and duration, and
# nothing complains.
check_survives() {
	tmux_run 'false || true'
	tmux_run 'false | true | (exit 3) || :'
	tmux_run '(exit 3) && :'
	run prompt_text
	assert_output --regexp '\) \[3\] > $'
	tmux_run 'print -r -- "ps=$pipestatus"'
	tmux_wait '^ps=3$'
	tmux_run 'sleep 2'
	run prompt_text
	assert_output --regexp '\) [0-9]+s > $'
	tmux_run 'touch new.txt'
	run prompt_colours
	assert_output --partial ") $(tput_for_pane setaf 1)@"
	run tmux_screen
	refute_output --partial '_atprompt'
	refute_output --partial 'zsh:'
	refute_output --partial '%{'
}

@test "options - nounset, err_exit and pipe_fail - the shell survives" {
	rc 'setopt nounset err_exit pipe_fail'
	use_shim
	tmux_start zsh
	check_survives
}

@test "options - emulate sh before the shim - works" {
	rc 'emulate sh'
	use_shim
	tmux_start zsh
	check_survives
}

@test "options - emulate sh after the shim - works" {
	use_shim
	rc 'emulate sh' 'setopt ksh_arrays sh_word_split'
	tmux_start zsh
	check_survives
}

# save_state FILE: what the shim leaves in the shell.
save_state() {
	local vars='precmd_functions preexec_functions PROMPT _atprompt_wait'
	tmux_run "{ typeset -p $vars; functions -m '_atprompt*'; } > $1"
}

@test "source - twice - same as once" {
	use_shim
	tmux_start zsh
	save_state ~/once
	tmux_run "source $SHIMS/atprompt.zsh"
	save_state ~/twice
	run diff "$HOME/once" "$HOME/twice"
	assert_success
	run grep -Fx 'typeset -a precmd_functions=( _atprompt_precmd )' ~/once
	assert_success
	tmux_run 'sleep 2'
	run prompt_text
	assert_output --regexp '\) [0-9]+s > $'
}

@test "init - atprompt init zsh - prints the shim after the binary" {
	"$ATPROMPT" init zsh > ~/init.zsh
	run head -n 1 ~/init.zsh
	assert_output "_atprompt_bin='$(readlink -f "$ATPROMPT")'"
	tail -n +2 ~/init.zsh |
		diff - "$BATS_TEST_DIRNAME/../shells/atprompt.zsh"
}

@test "init - eval and source - same shell state" {
	touch new.txt
	use_shim
	tmux_start zsh
	save_state ~/sourced
	tmux_run 'true'
	prompt_colours > ~/screen.sourced
	tmux_cmd kill-server
	echo ': ${_atprompt_wait:=60}' > "$(rc_file zsh)"
	echo 'eval "$(atprompt init zsh)"' >> "$(rc_file zsh)"
	tmux_start zsh
	save_state ~/evaluated
	tmux_run 'true'
	prompt_colours > ~/screen.evaluated
	run diff ~/sourced ~/evaluated
	assert_success
	run diff ~/screen.sourced ~/screen.evaluated
	assert_success
	run cat ~/screen.evaluated
	assert_output --partial "$(tput_for_pane setaf 1)@"
}

# names_seen WITH: start zsh with the shim sourced (WITH is 1) or not,
# and list the functions and parameters it has at three points: before
# the place where the shim is sourced, after it, and after a prompt.
names_seen() {
	local list='print -l ${(k)functions} ${(k)parameters}'
	printf "PS1='> '\n%s > ~/names.%s.0\n" "$list" "$1" > "$(rc_file zsh)"
	if (($1)); then
		use_shim
	fi
	printf '%s > ~/names.%s.1\n' "$list" "$1" >> "$(rc_file zsh)"
	tmux_start zsh || return 1
	tmux_run 'sleep 0 | true' || return 1
	tmux_run "$list > ~/names.$1.2" || return 1
	tmux_cmd kill-server
}

# new_names I: names the shell with the shim has at point I and the one
# without has not, but for the shim's own.
new_names() {
	comm -13 <(sort ~/names.0."$1") <(sort ~/names.1."$1") |
		grep -v '^_atprompt'
}

@test "names - sourcing and prompting - only _atprompt and prompt names" {
	names_seen 0
	names_seen 1
	local own
	run new_names 0
	assert_output ""
	# The hook arrays, and the one parameter of each module it loads.
	own=$(printf '%s\n' EPOCHREALTIME precmd_functions preexec_functions \
	    sysparams)
	run new_names 1
	assert_output "$own"
	run new_names 2
	assert_output "$own"
}

# held_bin: a stand-in for the binary that holds every full scan (any
# run without "--timeout 1") until ~/gate exists, and notes its pid in
# ~/held.pids.  The quick scan runs at once.
held_bin() {
	cat > "$HOME/held-atprompt" <<-SH
	#!/bin/sh
	case " \$* " in
	*" --timeout 1 "*) ;;
	*)	echo \$\$ >> "\$HOME/held.pids"
		while [ ! -e "\$HOME/gate" ]; do sleep 0.05; done ;;
	esac
	exec '$ATPROMPT' "\$@"
	SH
	chmod +x "$HOME/held-atprompt"
	rc "_atprompt_bin=~/held-atprompt"
}

# alive_held N: exactly N held scans are still running.
alive_held() {
	local pid n=0
	[[ -e ~/held.pids ]] || return 1
	while read -r pid; do
		if kill -0 "$pid" 2>/dev/null; then
			n=$((n + 1))
		fi
	done < "$HOME/held.pids"
	((n == $1))
}

@test "async - scan held back - prompt at once, git part filled in" {
	held_bin
	rc '_atprompt_wait=0.2'
	use_shim
	touch ~/gate
	tmux_start zsh
	rm ~/gate
	tmux_run 'true'
	line=$(tmux_line)
	run prompt_text
	refute_output --partial ' @ '
	touch new.txt ~/gate
	tmux_poll "the red @ filled in" screen_has '\) @ >$'
	[[ $(tmux_line) == "$line" ]]
	run prompt_colours
	assert_output --partial ") $(tput_for_pane setaf 1)@"
}

@test "async - scans for earlier prompts - stopped" {
	held_bin
	rc '_atprompt_wait=0'
	use_shim
	tmux_start zsh
	tmux_run 'true'
	tmux_run 'true'
	tmux_poll "one held scan left running" alive_held 1
	touch new.txt ~/gate
	tmux_poll "the red @ filled in" screen_has '\) @ >$'
	tmux_poll "no held scan left" alive_held 0
}

@test "async - large work tree - filled in complete" {
	mkdir big
	(cd big && seq 1 20000 | xargs touch)
	git add big
	git commit -q -m big
	mkdir -p untracked/a/b
	touch untracked/a/b/c new.txt
	rc '_atprompt_wait=0'
	use_shim
	tmux_start zsh
	tmux_run 'echo more >> tracked.txt'
	tmux_poll "the full answer" screen_has '\) @ @ >$'
	run prompt_colours
	assert_output --partial ") $(tput_for_pane setaf 1)@"
	assert_output --partial "$(tput_for_pane setaf 4)@"
	refute_output --partial '?'
}

@test "async - fast repository - answered before the prompt" {
	use_shim
	tmux_start zsh
	tmux_run 'print -r -- "pending=[$_atprompt_fd]"'
	tmux_wait '^pending=\[\]$'
}

@test "async - zle off - the prompt waits for the full answer" {
	rc 'unsetopt zle' '_atprompt_wait=0'
	use_shim
	tmux_start zsh
	tmux_run 'touch new.txt'
	run prompt_text
	assert_output --regexp '\) @ > $'
}

@test "wrap - wide and combining characters in the path - by columns" {
	use_shim
	tmux_start zsh 60 24
	check_wide
}
