# bash with shells/atprompt.bash, end to end: a real interactive bash in
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

# use_shim: a .bashrc that only sources the installed shim.
use_shim() {
	printf 'source %q\n' "$SHIMS/atprompt.bash" >> "$(rc_file bash)"
}

@test "shell bash - untracked file - red @ on the screen" {
	use_shim
	tmux_start bash
	tmux_run 'touch new.txt'
	run prompt_colours
	assert_output --partial ") $(tput_for_pane setaf 1)@"
}

@test "wrap - long command - 40 columns" {
	dirty_repo
	use_shim
	tmux_start bash 40 24
	check_wrapping
}

@test "wrap - long command - 80 columns" {
	dirty_repo
	use_shim
	tmux_start bash 80 24
	check_wrapping
}

@test "wrap - long command - after a resize" {
	dirty_repo
	use_shim
	tmux_start bash 80 24
	check_resize
}

@test "hostile - branch and directory names - promptvars on" {
	hostile_fixture
	use_shim
	tmux_start bash 100 30
	check_hostile
}

@test "hostile - branch and directory names - promptvars off" {
	hostile_fixture
	echo 'shopt -u promptvars' > "$(rc_file bash)"
	use_shim
	tmux_start bash 100 30
	check_hostile
}

@test "hostile - branch and directory names - promptvars off, POSIX mode" {
	hostile_fixture
	# POSIX mode expands PS1 even with promptvars off.
	printf 'shopt -u promptvars\nset -o posix\n' > "$(rc_file bash)"
	use_shim
	tmux_start bash 100 30
	check_hostile
}

# log_hook NAME: a PROMPT_COMMAND entry that logs NAME, $? and
# PIPESTATUS as it finds them.
log_hook() {
	printf 'echo "%s $? ${PIPESTATUS[*]}" >> ~/hooks.log' "$1"
}

# hook_line string|array NAME: add NAME's hook to PROMPT_COMMAND in
# .bashrc, after what is there: as a new line of a string or as a new
# entry of an array.
hook_line() {
	case $1 in
	string) printf 'PROMPT_COMMAND+=%q\n' $'\n'"$(log_hook "$2")" ;;
	array) printf 'PROMPT_COMMAND+=(%q)\n' "$(log_hook "$2")" ;;
	esac >> "$(rc_file bash)"
}

# last_log NAME: what NAME's hook logged last.
last_log() {
	grep "^$1 " "$HOME/hooks.log" | tail -n 1
}

@test "hooks - PROMPT_COMMAND string set before - runs, sees the status" {
	printf 'PROMPT_COMMAND=%q\n' "$(log_hook before)" > "$(rc_file bash)"
	use_shim
	tmux_start bash
	tmux_run 'false | true | (exit 3)'
	run last_log before
	assert_output "before 3 1 0 3"
	run prompt_text
	assert_output --partial "[3] > "
}

@test "hooks - PROMPT_COMMAND string added after - runs, sees the status" {
	use_shim
	hook_line string after
	tmux_start bash
	tmux_run 'false | true | (exit 3)'
	run last_log after
	assert_output "after 3 1 0 3"
	tmux_run '(exit 4)'
	run last_log after
	assert_output "after 4 4"
}

@test "hooks - PROMPT_COMMAND array before and after - all run" {
	hook_line array before
	use_shim
	hook_line array after
	tmux_start bash
	tmux_run 'true | (exit 5)'
	run last_log before
	assert_output "before 5 0 5"
	run last_log after
	assert_output "after 5 0 5"
	run prompt_text
	assert_output --partial "[5] > "
}

@test "hooks - PROMPT_COMMAND string after - sees eight statuses" {
	use_shim
	hook_line string after
	tmux_start bash
	tmux_run 'true|true|true|true|true|true|(exit 4)|true'
	run last_log after
	assert_output "after 0 0 0 0 0 0 0 4 0"
}

@test "hooks - PROMPT_COMMAND string after - sees a negated pipeline" {
	skip "known: in a PROMPT_COMMAND string, later lines see PIPESTATUS"\
" only when the pipeline's own status is \$?, not after '! a | b'"
	use_shim
	hook_line string after
	tmux_start bash
	tmux_run '! true | true'
	run last_log after
	assert_output "after 1 0 0"
}

@test "hooks - PROMPT_COMMAND string after - sees nine statuses" {
	skip "known: the entry rebuilds PIPESTATUS for pipelines of up to"\
" eight commands; after a longer one later lines see \$? alone"
	use_shim
	hook_line string after
	tmux_start bash
	tmux_run 'true|true|true|true|true|true|true|(exit 4)|true'
	run last_log after
	assert_output "after 0 0 0 0 0 0 0 0 4 0"
}

@test "hooks - a DEBUG trap as preexec hooks use - still runs" {
	local trap='echo "pre $BASH_COMMAND" >> ~/pre.log'
	printf 'trap %q DEBUG\n' "$trap" > "$(rc_file bash)"
	use_shim
	tmux_start bash
	tmux_run 'echo one two'
	run grep -Fx 'pre echo one two' "$HOME/pre.log"
	assert_success
	tmux_run 'sleep 2'
	run prompt_text
	assert_output --regexp '\) [0-9]+s > $'
}

@test "status - \$? and PIPESTATUS - as the command left them" {
	use_shim
	tmux_start bash
	tmux_run 'false | true | (exit 3)'
	tmux_run 'echo "ps=${PIPESTATUS[*]} st=$?"'
	tmux_wait '^ps=1 0 3 st=3$'
	tmux_run 'false'
	tmux_run 'echo "st=$?"'
	tmux_wait '^st=1$'
	tmux_run 'echo one two'
	tmux_run 'echo "last=$_"'
	tmux_wait '^last=two$'
}

@test "status - non-zero exit - shown until a command succeeds" {
	use_shim
	tmux_start bash
	tmux_run '(exit 7)'
	run prompt_text
	assert_output --regexp '\) \[7\] > $'
	tmux_run 'true'
	run prompt_text
	assert_output --regexp '\(main\) > $'
}

@test "duration - sleep 2 - shown from 2 s" {
	use_shim
	tmux_start bash
	tmux_run 'sleep 2'
	run prompt_text
	assert_output --regexp '\) [0-9]+s > $'
	tmux_run 'true'
	run prompt_text
	assert_output --regexp '\(main\) > $'
}

@test "duration - promptvars off - shown from 2 s" {
	skip "known: without promptvars PS0 would print its text instead of"\
" recording when the command started, so no duration is shown"
	echo 'shopt -u promptvars' > "$(rc_file bash)"
	use_shim
	tmux_start bash
	tmux_run 'sleep 2'
	run prompt_text
	assert_output --regexp '\) [0-9]+s > $'
}

@test "jobs - one in the background - counted" {
	use_shim
	tmux_start bash
	tmux_run 'sleep 100 &'
	run prompt_text
	assert_output --regexp '\) &1 > $'
	tmux_run 'kill %1; wait'
	run prompt_text
	assert_output --regexp '\(main\) > $'
}

# check_survives: commands that fail without ending a set -e shell
# leave the prompt working and the status shown, with no complaint.
check_survives() {
	tmux_run 'false && true'
	run prompt_text
	assert_output --regexp '\) \[1\] > $'
	tmux_run '! true'
	tmux_run 'true | false && :'
	tmux_run 'echo "ps=${PIPESTATUS[*]}"'
	tmux_wait '^ps=0 1$'
	tmux_run 'sleep 2'
	run prompt_text
	assert_output --regexp '\) [0-9]+s > $'
	tmux_run 'echo alive'
	tmux_wait '^alive$'
	run tmux_screen
	refute_output --partial 'unbound variable'
	refute_output --partial 'bash:'
}

@test "options - set -u before the shim - no complaint" {
	echo 'set -u' > "$(rc_file bash)"
	use_shim
	tmux_start bash
	check_survives
}

@test "options - set -euo pipefail after the shim - the shell survives" {
	use_shim
	echo 'set -euo pipefail' >> "$(rc_file bash)"
	tmux_start bash
	check_survives
	tmux_run 'false | true && :'
	run prompt_text
	assert_output --regexp '\) \[1\] > $'
	tmux_run 'echo "ps=${PIPESTATUS[*]}"'
	tmux_wait '^ps=1 0$'
}

# err_trap_log: run failing commands in a shell with an ERR trap that
# functions and subshells inherit, and print what the trap logged.
err_trap_log() {
	local trap='echo "err $? $BASH_COMMAND" >> ~/err.log'
	printf 'trap %q ERR\nset -E\nPS1=%q\n' "$trap" '> ' >> "$(rc_file bash)"
	tmux_start bash || return 1
	tmux_run 'true | (exit 3)' || return 1
	tmux_run 'false | true | false' || return 1
	tmux_run 'false' || return 1
	tmux_run 'true' || return 1
	tmux_cmd kill-server
	cat ~/err.log
	rm ~/err.log "$(rc_file bash)"
}

@test "options - ERR trap and set -E - fires as often as without the shim" {
	local plain
	plain=$(err_trap_log)
	use_shim
	echo "PROMPT_COMMAND+=\$'\\n'true" >> "$(rc_file bash)"
	run err_trap_log
	assert_output "$plain"
	assert_line --partial 'err 1 false'
}

# state: what the shim leaves in the shell, written to FILE.
save_state() {
	tmux_run "{ declare -p PROMPT_COMMAND PS0 PS1; declare -f; } > $1"
}

@test "source - twice - same as once" {
	use_shim
	tmux_start bash
	save_state ~/once
	tmux_run "source $SHIMS/atprompt.bash"
	save_state ~/twice
	run diff "$HOME/once" "$HOME/twice"
	assert_success
	run grep -c _atprompt_hook "$HOME/once"
	assert_output 2
	tmux_run 'sleep 2'
	run prompt_text
	assert_output --regexp '\) [0-9]+s > $'
}

@test "init - atprompt init bash - prints the shim after the binary" {
	"$ATPROMPT" init bash > ~/init.bash
	run head -n 1 ~/init.bash
	assert_output "_atprompt_bin='$(readlink -f "$ATPROMPT")'"
	tail -n +2 ~/init.bash |
		diff - "$BATS_TEST_DIRNAME/../shells/atprompt.bash"
}

@test "init - eval and source - same shell state" {
	use_shim
	tmux_start bash
	touch new.txt
	save_state ~/sourced
	tmux_run 'true'
	prompt_colours > ~/screen.sourced
	tmux_cmd kill-server
	echo 'eval "$(atprompt init bash)"' > "$(rc_file bash)"
	tmux_start bash
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

# names_seen WITH: start bash with the shim sourced (WITH is 1) or not,
# and list its functions and variables before the place where the shim
# is sourced, after it, and after a prompt.
names_seen() {
	local list='compgen -A function; compgen -v'
	printf "PS1='> '\n{ %s; } > ~/names.%s.0\n" "$list" "$1" \
	    > "$(rc_file bash)"
	if (($1)); then
		use_shim
	fi
	printf '{ %s; } > ~/names.%s.1\n' "$list" "$1" >> "$(rc_file bash)"
	tmux_start bash || return 1
	tmux_run 'sleep 0 | true' || return 1
	tmux_run "{ $list; } > ~/names.$1.2" || return 1
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
	run new_names 0
	assert_output ""
	run new_names 1
	assert_output PROMPT_COMMAND
	run new_names 2
	assert_output $'PROMPT_COMMAND\nPS0'
}

@test "wrap - wide and combining characters in the path - by columns" {
	use_shim
	tmux_start bash 60 24
	check_wide
}
