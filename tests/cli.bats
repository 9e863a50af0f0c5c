# The command line: exit codes, usage errors, --version and --help,
# init, the --format language and the shortened path.

bats_require_minimum_version 1.5.0
load helper

setup() {
	common_setup
	HOME=$(cd "$HOME" && pwd -P)
	new_repo r
}

# assert_usage_error ARGS...: atprompt ARGS exits 2, prints nothing on
# stdout and exactly one line, naming itself, on stderr.
assert_usage_error() {
	run --separate-stderr atp "$@"
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$(wc -l <<<"$stderr")" 1
	[[ $stderr == "atprompt: "?* ]] ||
		fail "stderr: $(printf %q "$stderr")"
}

# path_of DIR: the shortened path atprompt shows for DIR.
path_of() {
	run --separate-stderr atp -C "$1" --format '%w'
	assert_success
	assert_equal "$stderr" ""
}

@test "cli - exit - 0 in a repository" {
	run --separate-stderr atp -C r
	assert_success
	assert_equal "$stderr" ""
	[[ -n $output ]]
}

@test "cli - exit - 0 outside a repository" {
	mkdir plain
	run --separate-stderr atp -C plain
	assert_success
	assert_equal "$stderr" ""
	[[ -n $output ]]
	run --separate-stderr atp -C plain --json
	assert_success
	assert_equal "$stderr" ""
}

@test "cli - exit - 0 with a corrupt index, in every mode" {
	head -c 40 r/.git/index > r/index.part
	mv r/index.part r/.git/index
	local mode
	for mode in "" --json --explain "--shell bash" "--shell zsh"; do
		# shellcheck disable=SC2086
		run --separate-stderr atp -C r $mode
		assert_success
		assert_equal "$stderr" ""
		[[ -n $output ]]
	done
}

@test "cli - exit - 0 with an unreadable HEAD" {
	printf 'garbage\n' > r/.git/HEAD
	run --separate-stderr atp -C r
	assert_success
	assert_equal "$stderr" ""
	[[ -n $output ]]
}

@test "cli - exit - 0 in a directory that was removed" {
	mkdir -p r/gone
	cd r/gone
	rmdir "$BATS_TEST_TMPDIR/r/gone"
	run --separate-stderr atp
	assert_success
	assert_equal "$stderr" ""
	[[ -n $output ]]
	run --separate-stderr atp --json
	assert_success
	jq -e . <<<"$output"
}

@test "cli - usage - unknown long option" {
	assert_usage_error --bogus
	[[ $stderr == *--bogus* ]]
}

@test "cli - usage - unknown short option" {
	assert_usage_error -x
}

@test "cli - usage - --json with --explain refused, either order" {
	assert_usage_error -C r --json --explain
	[[ $stderr == *"cannot be used together"* ]]
	assert_usage_error -C r --explain --json
	run --separate-stderr atp -C r --json --json
	assert_success
}

@test "cli - usage - unexpected argument" {
	assert_usage_error -C r extra
}

@test "cli - usage - bad --status values" {
	assert_usage_error --status abc
	[[ $stderr == *--status* ]]
	assert_usage_error --status -1
	assert_usage_error --status ''
	assert_usage_error --status 1x
	assert_usage_error --status 99999999999999999999
}

@test "cli - usage - bad --jobs, --duration and --timeout values" {
	assert_usage_error --jobs many
	assert_usage_error --duration 1.5
	assert_usage_error --timeout -5
}

@test "cli - usage - unknown shell" {
	assert_usage_error --shell tcsh
	[[ $stderr == *tcsh* ]]
	assert_usage_error --shell ''
	assert_usage_error --shell BASH
}

@test "cli - usage - missing option value - says so" {
	local opt
	for opt in --shell -C --status --format; do
		assert_usage_error "$opt"
		[[ $stderr == *"$opt"* ]] || fail "$opt not named"
		[[ $stderr == *"needs a value"* ]] ||
			fail "$opt: says $(printf %q "$stderr")"
	done
}

@test "cli - usage - -C to a missing directory" {
	assert_usage_error -C /nonexistent
	[[ $stderr == *"'/nonexistent'"* ]]
}

@test "cli - usage - -C to a file" {
	printf 'x\n' > file
	assert_usage_error -C file
}

@test "cli - version - one line with the version and libgit2's" {
	run --separate-stderr atp --version
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 1
	[[ $output =~ ^atprompt\ [0-9]+\.[0-9]+\.[0-9]+\ .*libgit2\ [0-9] ]]
}

@test "cli - help - usage on stdout, exit 0" {
	local opt
	for opt in --help -h; do
		run --separate-stderr atp "$opt"
		assert_success
		assert_equal "$stderr" ""
		assert_line --index 0 --partial "usage: atprompt"
	done
	for opt in -C --shell --json --explain --status --jobs --duration \
	    --format init --version; do
		assert_output --partial -- "$opt"
	done
}

@test "cli - init - bash prints the shim after setting _atprompt_bin" {
	atp init bash > shim.out
	tail -n +2 shim.out | cmp - "$BATS_TEST_DIRNAME/../shells/atprompt.bash"
	assert_equal "$(head -n 1 shim.out)" \
	    "_atprompt_bin='$(readlink -f "$ATPROMPT")'"
}

@test "cli - init - zsh prints the shim after setting _atprompt_bin" {
	atp init zsh > shim.out
	tail -n +2 shim.out | cmp - "$BATS_TEST_DIRNAME/../shells/atprompt.zsh"
	assert_equal "$(head -n 1 shim.out)" \
	    "_atprompt_bin='$(readlink -f "$ATPROMPT")'"
}

@test "cli - init - fish prints the shim after setting _atprompt_bin" {
	atp init fish > shim.out
	tail -n +2 shim.out | cmp - "$BATS_TEST_DIRNAME/../shells/atprompt.fish"
	assert_equal "$(head -n 1 shim.out)" \
	    "set -g _atprompt_bin '$(readlink -f "$ATPROMPT")'"
}

@test "cli - init - each shell reads back the binary's path" {
	mkdir "it's \$here"
	cp "$ATPROMPT" "it's \$here/atprompt"
	bin=$(cd "it's \$here" && pwd -P)/atprompt
	run bash --norc --noprofile -c \
	    'eval "$("$1" init bash)" && printf %s "$_atprompt_bin"' _ "$bin"
	assert_output "$bin"
	run zsh -f -c \
	    'eval "$("$1" init zsh)" && printf %s "$_atprompt_bin"' _ "$bin"
	assert_output "$bin"
	run fish -N -c \
	    '$argv[1] init fish | source; and printf %s $_atprompt_bin' "$bin"
	assert_output "$bin"
}

@test "cli - init - bad shell exits 2" {
	run --separate-stderr atp init tcsh
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$(wc -l <<<"$stderr")" 1
	run --separate-stderr atp init plain
	assert_failure 2
	assert_equal "$(wc -l <<<"$stderr")" 1
}

@test "cli - init - wrong number of words exits 2" {
	run --separate-stderr atp init
	assert_failure 2
	assert_equal "$(wc -l <<<"$stderr")" 1
	run --separate-stderr atp init bash zsh
	assert_failure 2
	assert_equal "$(wc -l <<<"$stderr")" 1
}

@test "cli - format - empty group dropped, filled group kept" {
	run --separate-stderr atp -C r --format 'a%[<%e>%]b'
	assert_success
	assert_output "ab"
	run --separate-stderr atp -C r --format 'a%[<%e>%]b' --status 3
	assert_output "a<3>b"
}

@test "cli - format - nested groups" {
	run atp -C r --format '%[x%[y%e%]z%]'
	assert_output ""
	run atp -C r --format '%[x%[y%e%]z%]' --status 2
	assert_output "xy2z"
	run atp -C r --format '%[x%[y%e%]z%b%]'
	assert_output "xzmain"
}

@test "cli - format - colours in a dropped group go too" {
	run --separate-stderr atp -C r --format 'a%[%F{red}%e%f%]b'
	assert_success
	assert_output "ab"
}

@test "cli - format - group outside a repository drops the branch" {
	mkdir plain
	run --separate-stderr atp -C plain --format '%w%[ (%b)%]!'
	assert_success
	[[ $output == */plain! ]] || fail "got $(printf %q "$output")"
}

@test "cli - format - %% is a percent sign" {
	run --separate-stderr atp -C r --format '100%%'
	assert_success
	assert_output "100%"
	run atp -C r --shell zsh --format '100%%'
	assert_output "100%%"
	run atp -C r --shell bash --format '100%%'
	assert_output "100%"
}

@test "cli - format - items" {
	run atp -C r --format '%b|%o|%m|%e|%d|%j|%v'
	assert_output "main||||||"
	run env VIRTUAL_ENV=/opt/envs/venv "$ATPROMPT" -C r --status 130 \
	    --duration 61000 --jobs 3 --format '%e|%d|%j|%v'
	assert_output "130|1m01s|3|venv"
}

@test "cli - format - duration from 2 s" {
	run atp -C r --duration 1999 --format '%d'
	assert_output ""
	run atp -C r --duration 2000 --format '%d'
	assert_output "2s"
	run atp -C r --duration 3600000 --format '%d'
	assert_output "1h00m"
}

@test "cli - format - bad formats exit 2" {
	local f
	for f in '%[' '%]' 'abc%' '%Q' '%F{nope}' '%F{256}' '%F{red' '%F' \
	    '%[%[%]'; do
		assert_usage_error -C r --format "$f"
	done
}

@test "cli - format - bad ATPROMPT_FORMAT falls back to the default look" {
	run --separate-stderr atp -C r
	want=$output
	ATPROMPT_FORMAT='%[' run --separate-stderr atp -C r
	assert_success
	assert_equal "$stderr" ""
	assert_output "$want"
}

@test "cli - format - ATPROMPT_FORMAT used, --format wins" {
	ATPROMPT_FORMAT='<%b>' run --separate-stderr atp -C r
	assert_output "<main>"
	ATPROMPT_FORMAT='<%b>' run --separate-stderr atp -C r --format '[%b]'
	assert_output "[main]"
}

@test "cli - path - home is ~" {
	path_of "$HOME"
	assert_output "~"
}

@test "cli - path - under home, a leading dot kept" {
	mkdir -p "$HOME/.config/nvim"
	path_of "$HOME/.config/nvim"
	assert_output "~/.c/nvim"
}

@test "cli - path - deep under home" {
	mkdir -p "$HOME/src/project/lib/deep"
	path_of "$HOME/src/project/lib/deep"
	assert_output "~/s/p/l/deep"
}

@test "cli - path - outside home, every directory but the last" {
	[[ -d /usr/local/bin ]] || skip "no /usr/local/bin"
	path_of /usr/local/bin
	assert_output "/u/l/bin"
}

@test "cli - path - root" {
	path_of /
	assert_output "/"
}

@test "cli - path - a multi-byte first character kept whole" {
	mkdir -p "$HOME/été/.über/ñandú"
	path_of "$HOME/été/.über/ñandú"
	assert_output "~/é/.ü/ñandú"
}

@test "cli - path - invalid byte first, made visible" {
	mkdir -p "$HOME/"$'\xffabc'/$'x\ty'
	path_of "$HOME/"$'\xffabc'/$'x\ty'
	assert_output '~/\xff/x^Iy'
}

@test "cli - path - a sibling that starts like home is not home" {
	mkdir "${HOME}work"
	path_of "${HOME}work"
	[[ $output == */homework && $output != "~"* ]]
}

@test "cli - path - home with a trailing slash" {
	local home=$HOME
	mkdir -p "$home/src/p"
	HOME=$home/ path_of "$home/src/p"
	assert_output "~/s/p"
}

@test "cli - path - home is / - no ~" {
	HOME=/ path_of /
	assert_output "/"
	[[ -d /usr/local/bin ]] || return 0
	HOME=/ path_of /usr/local/bin
	assert_output "/u/l/bin"
}

@test "cli - path - HOME unset - the whole path shortened" {
	mkdir -p "$HOME/src/p"
	run env -u HOME "$ATPROMPT" -C "$HOME/src/p" --format '%w'
	assert_success
	[[ $output == /*/s/p && $output != *"~"* ]]
}

@test "cli - path - through a symlink, as the shell says" {
	mkdir -p "$HOME/real/dir"
	ln -s real "$HOME/link"
	cd "$HOME/link/dir"
	run --separate-stderr atp --format '%w'
	assert_success
	assert_output "~/l/dir"
}

@test "cli - explain - every part, and timings" {
	printf 'new\n' > r/new.txt
	run --separate-stderr atp -C r --explain
	assert_success
	assert_equal "$stderr" ""
	local part
	for part in prompt user host path repository branch head upstream \
	    untracked staged unstaged complete colour timings; do
		assert_line --regexp "^$part "
	done
	assert_line --regexp '^untracked +1 '
}

@test "cli - explain - no control character reaches the terminal" {
	local name=$'x\e]2;owned\a\xc2\x9by'
	mkdir "r/$name"
	printf 'new\n' > "r/$name/new.txt"
	run --separate-stderr env TERM=$'xterm\e[2J' "$ATPROMPT" \
	    -C "r/$name" --explain
	assert_success
	[[ $output != *[$'\x01'-$'\x08\x0b'-$'\x1f\x7f']* ]] ||
		{ echo "a control character in: $output" | od -c; false; }
	[[ $output != *$'\xc2\x9b'* ]]
	assert_line --partial '^[]2;owned^G'
	assert_line --partial 'TERM=xterm^[[2J'
}
