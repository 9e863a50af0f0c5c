# Real shells in a private tmux server, for the end-to-end shell tests.
#
#	load helper
#	load tmux
#	setup()    { common_setup; tmux_setup; }
#	teardown() { tmux_teardown; }
#
# tmux_setup installs the binary and the shims the way "make install"
# lays them out ($PREFIX/bin, $PREFIX/share/atprompt), so a shim finds
# the binary under test by itself.  A test writes the shell's start-up
# file (rc_file names it), starts the shell with tmux_start, types with
# tmux_type/tmux_keys/tmux_run and reads the screen back.  Every wait
# polls the screen until what it expects is there and gives up after
# TMUX_WAIT seconds, printing the screen; nothing sleeps for a fixed
# time and no assertion depends on how fast anything ran.

: "${TMUX_WAIT:=30}"

# tmux_setup: the install layout, a socket name no other test uses, in
# the test's own directory when its path is short enough for a socket,
# and the terminal type tmux will emulate inside the pane.
tmux_setup() {
	PREFIX_DIR=$BATS_TEST_TMPDIR/prefix
	SHIMS=$PREFIX_DIR/share/atprompt
	mkdir -p "$PREFIX_DIR/bin" "$SHIMS"
	ln -s "$ATPROMPT" "$PREFIX_DIR/bin/atprompt"
	cp "$BATS_TEST_DIRNAME"/../shells/atprompt.* "$SHIMS/"
	TMUX_SOCKET=atprompt-test-$$-${BATS_TEST_NUMBER:-0}-$RANDOM
	if ((${#BATS_TEST_TMPDIR} < 60)); then
		export TMUX_TMPDIR=$BATS_TEST_TMPDIR
	fi
	PANE_TERM=screen
	if infocmp tmux-256color >/dev/null 2>&1; then
		PANE_TERM=tmux-256color
	fi
	TMUX_STARTED=
}

# tmux_teardown: stop the server and the shell in it.
tmux_teardown() {
	if [[ -n ${TMUX_STARTED-} ]]; then
		tmux_cmd kill-server 2>/dev/null || true
	fi
}

tmux_cmd() {
	tmux -L "$TMUX_SOCKET" "$@"
}

# rc_file SHELL: the start-up file tmux_start has SHELL read.
rc_file() {
	case $1 in
	bash) echo "$HOME/.bashrc" ;;
	zsh) echo "$HOME/.zshrc" ;;
	fish) echo "$HOME/.config/fish/config.fish" ;;
	esac
}

# tput_for_pane CAP...: a terminfo string for the terminal in the pane.
tput_for_pane() {
	TERM=$PANE_TERM tput "$@"
}

# tmux_start SHELL [COLUMNS [LINES]]: start SHELL interactively in a
# fresh server, in the current directory, with a fixed environment, and
# wait for its first prompt.
tmux_start() {
	local sh=$1 cols=${2:-80} lines=${3:-24} rc cmd
	rc=$(rc_file "$sh")
	mkdir -p "${rc%/*}"
	[[ -e $rc ]] || : > "$rc"
	case $sh in
	bash) cmd=(bash --noprofile --rcfile "$rc" -i) ;;
	zsh) cmd=(zsh -d -i) ;;
	fish)
		cmd=(fish -i)
		# Without it fish parses every man page in the background
		# at its first start: seconds of CPU in every test.
		mkdir -p "$HOME/.local/share/fish/generated_completions"
		;;
	esac
	TMUX_STARTED=1
	# Read by helpers whose keys differ from shell to shell.
	SHELL_UNDER_TEST=$sh
	# The pane runs env -i, so the shell sees only what is listed here.
	tmux_cmd -f /dev/null start-server \; \
	    set-option -g status off \; \
	    set-option -g remain-on-exit on \; \
	    set-option -g default-terminal "$PANE_TERM" \; \
	    new-session -d -s t -x "$cols" -y "$lines" -c "$PWD" \
	    env -i HOME="$HOME" USER="$(id -un)" \
	    PATH="$PREFIX_DIR/bin:/usr/local/bin:/usr/bin:/bin" \
	    TERM="$PANE_TERM" LC_ALL=C.UTF-8 LANG=C.UTF-8 \
	    ZDOTDIR="$HOME" XDG_CONFIG_HOME="$HOME/.config" \
	    XDG_DATA_HOME="$HOME/.local/share" \
	    GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$GIT_CONFIG_GLOBAL" \
	    GIT_CEILING_DIRECTORIES="$GIT_CEILING_DIRECTORIES" \
	    ATPROMPT_TIMEOUT="${ATPROMPT_TIMEOUT-}" \
	    ASAN_OPTIONS="${ASAN_OPTIONS-}" UBSAN_OPTIONS="${UBSAN_OPTIONS-}" \
	    "${cmd[@]}"
	tmux_wait_prompt -1 || return 1
}

# tmux_type TEXT: type TEXT as it is.
tmux_type() {
	tmux_cmd send-keys -t t -l -- "$1"
}

# tmux_keys KEY...: press keys by tmux's names (Enter, C-a, Escape).
tmux_keys() {
	tmux_cmd send-keys -t t "$@"
}

# tmux_screen [capture-pane flags]: the visible screen, one row a line.
tmux_screen() {
	tmux_cmd capture-pane -t t -p "$@"
}

# tmux_get FORMAT: a tmux format for the pane (#{cursor_x} and so on).
tmux_get() {
	tmux_cmd display-message -t t -p "$1"
}

# The cursor's row counted from the top of the scrollback, so that it
# keeps growing when the screen scrolls.
tmux_line() {
	tmux_get '#{e|+:#{history_size},#{cursor_y}}'
}

# tmux_row N [flags]: row N of the screen (0 is the top).
tmux_row() {
	local n=$1
	shift
	tmux_cmd capture-pane -t t -p -S "$n" -E "$n" "$@"
}

# The text of the cursor's row up to the cursor.
tmux_before_cursor() {
	local x y row
	read -r x y < <(tmux_get '#{cursor_x} #{cursor_y}')
	row=$(tmux_row "$y" -N)
	printf '%s\n' "${row:0:x}"
}

# tmux_fail WHAT: print what was expected and the screen, and fail.
tmux_fail() {
	echo "tmux: expected $1"
	echo "--- screen (cursor $(tmux_get '#{cursor_x},#{cursor_y}'))"
	tmux_screen
	echo "---"
	return 1
}

# tmux_dead: the shell has exited.
tmux_dead() {
	[[ $(tmux_get '#{pane_dead}') == 1 ]]
}

# tmux_poll WHAT COMMAND...: run COMMAND until it succeeds.
tmux_poll() {
	local what=$1 end=$((SECONDS + TMUX_WAIT))
	shift
	until "$@"; do
		if tmux_dead; then
			tmux_fail "$what, but the shell exited"
			return 1
		fi
		if ((SECONDS >= end)); then
			tmux_fail "$what within ${TMUX_WAIT}s"
			return 1
		fi
		sleep 0.05
	done
}

# A prompt is drawn and waits for input: the cursor stands right after
# "> " on a row below ABOVE.
tmux_at_prompt() {
	local above=$1 text
	(($(tmux_line) > above)) || return 1
	text=$(tmux_before_cursor)
	[[ $text == *"> " ]]
}

# tmux_wait_prompt ABOVE: wait for a new prompt below line ABOVE.
tmux_wait_prompt() {
	tmux_poll "a prompt below line $1" tmux_at_prompt "$1" || return 1
}

# tmux_run COMMAND: type COMMAND, press Enter, wait for the next prompt.
tmux_run() {
	local line
	if (($# != 1)); then
		echo "tmux_run: one command, as one argument"
		return 1
	fi
	line=$(tmux_line)
	tmux_type "$1" || return 1
	tmux_keys Enter || return 1
	tmux_wait_prompt "$line" || return 1
}

# screen_has REGEX [capture-pane flags]: a row of the screen matches.
screen_has() {
	tmux_screen "${@:2}" | grep -Eq -- "$1"
}

# tmux_wait REGEX [capture-pane flags]: wait until a row matches REGEX.
tmux_wait() {
	tmux_poll "a row matching '$1'" screen_has "$@" || return 1
}

# prompt_text: what the cursor's row shows up to the cursor: at a
# prompt, the prompt (its last row, when it is longer than one).
prompt_text() {
	tmux_before_cursor
}

# prompt_colours: the cursor's row with its colours as SGR sequences.
prompt_colours() {
	tmux_row "$(tmux_get '#{cursor_y}')" -e
}

# plain_prompt: the prompt for the current directory without colours,
# as the screen should show it after a command that succeeded quickly.
plain_prompt() {
	NO_COLOR=1 "$ATPROMPT" --shell plain
}

# layout_matches PROMPT TEXT [AT]: the screen shows PROMPT followed by
# TEXT, cut every pane-width columns, and the cursor stands AT columns
# into the line (after TEXT when AT is not given).
layout_matches() {
	local all=$1$2 at=${3:-$((${#1} + ${#2}))} cols x y top n row want
	read -r cols x y < <(tmux_get '#{pane_width} #{cursor_x} #{cursor_y}')
	n=${#all}
	((x == at % cols)) || return 1
	top=$((y - at / cols))
	((top >= 0)) || return 1
	for ((row = top; row <= top + (n - 1) / cols; row++)); do
		want=${all:(row - top) * cols:cols}
		want=${want%"${want##*[! ]}"}
		[[ $(tmux_row "$row") == "$want" ]] || return 1
	done
}

# wait_layout PROMPT TEXT: wait until layout_matches holds.
wait_layout() {
	local cols
	cols=$(tmux_get '#{pane_width}')
	tmux_poll "the line '$1$2' laid out in $cols columns" \
	    layout_matches "$1" "$2"
}

# cursor_at X Y: the cursor's position.
cursor_at() {
	[[ $(tmux_get '#{cursor_x} #{cursor_y}') == "$1 $2" ]]
}

# A command longer than two rows of 40 columns, and what it prints.
WRAP_WORD=$(printf '%s' {a..z} {0..9} {A..Z} {a..k})
WRAP_CMD="echo $WRAP_WORD"

# check_moves PROMPT TEXT: with TEXT typed after PROMPT, Ctrl-A puts
# the cursor right after the prompt and Ctrl-E back after the text.
# The shell moves the cursor by its own idea of the prompt's width, so
# a wrong width shows here even when plain typing looks right.
check_moves() {
	wait_layout "$1" "$2" || return 1
	tmux_keys C-a || return 1
	tmux_poll "the cursor right after the prompt" \
	    layout_matches "$1" "$2" "${#1}" || return 1
	tmux_keys C-e || return 1
	wait_layout "$1" "$2" || return 1
}

# check_wrapping: at a fresh prompt, type a long command and read the
# layout back: while typing, after Ctrl-A and Ctrl-E, once it ran, and
# when history brings it back, by Up and by Ctrl-R.
check_wrapping() {
	local prompt line
	prompt=$(plain_prompt)
	wait_layout "$prompt" "" || return 1
	tmux_type "$WRAP_CMD" || return 1
	check_moves "$prompt" "$WRAP_CMD" || return 1
	line=$(tmux_line)
	tmux_keys Enter || return 1
	tmux_wait_prompt "$line" || return 1
	tmux_screen -J | grep -Fxq -- "$WRAP_WORD" ||
		tmux_fail "the output '$WRAP_WORD'" || return 1
	tmux_keys Up || return 1
	check_moves "$prompt" "$WRAP_CMD" || return 1
	# Leave the recalled line untouched: bash would keep an edit to it
	# in its history.  fish keeps no edits and has no empty line below.
	case $SHELL_UNDER_TEST in
	fish) tmux_keys C-u ;;
	*) tmux_keys Down ;;
	esac
	wait_layout "$prompt" "" || return 1
	history_search "${WRAP_WORD:20:10}" || return 1
	check_moves "$prompt" "$WRAP_CMD" || return 1
}

# history_search TEXT: find the last command holding TEXT with Ctrl-R
# and leave the search with it on the command line.
history_search() {
	tmux_keys C-r || return 1
	tmux_type "$1" || return 1
	case $SHELL_UNDER_TEST in
	fish) tmux_keys Enter ;;
	*) tmux_keys C-e ;;
	esac
}

# check_resize: type the long command at 80 columns, narrow the window
# to 40 and widen it again; the shell redraws the line each time.
check_resize() {
	local prompt line
	prompt=$(plain_prompt)
	wait_layout "$prompt" "" || return 1
	tmux_type "$WRAP_CMD" || return 1
	check_moves "$prompt" "$WRAP_CMD" || return 1
	tmux_cmd resize-window -t t -x 40 || return 1
	check_moves "$prompt" "$WRAP_CMD" || return 1
	tmux_cmd resize-window -t t -x 80 || return 1
	check_moves "$prompt" "$WRAP_CMD" || return 1
	tmux_cmd resize-window -t t -x 40 || return 1
	check_moves "$prompt" "$WRAP_CMD" || return 1
	line=$(tmux_line)
	tmux_keys Enter || return 1
	tmux_wait_prompt "$line" || return 1
	tmux_screen -J | grep -Fxq -- "$WRAP_WORD" ||
		tmux_fail "the output '$WRAP_WORD'" || return 1
}

# dirty_repo: all three markers, so that the prompt holds many
# sequences that take no room on the screen.
dirty_repo() {
	echo new > new.txt
	git add new.txt
	echo more >> tracked.txt
	echo x > other.txt
}

# Names that are code or terminal control for some shell or terminal.
# Branch names are limited by git (no space, backslash or control
# character); directory names can hold anything but / and NUL.
HOSTILE_BRANCHES=(
	'$(touch${IFS}canary)' '`touch${IFS}canary`' '${PWD}' '$((6+7))'
	'%F{red}red%f' '100%' '%n%#' "it's" '"q"' '!!'
)
HOSTILE_DIRS=(
	'$(touch canary)' '`touch canary`' '\[\e[31m\]x' '\u@\h\$' '\\'
	'%F{red}r%f' '%~%%' "it's \"q\"" $'\e]0;pwned\a' $'\e[2J\e[Hgone'
	$'bell\a' $'\e[31mred' $'\e[5Aup' $'\xc2\x9b31m' 'a!b!!'
)

# hostile_fixture: in the repository at ~/r, a worktree ~/wN on each
# hostile branch and a directory ~/r/h/N/NAME for each hostile name.
hostile_fixture() {
	local i
	for i in "${!HOSTILE_BRANCHES[@]}"; do
		git -C "$HOME/r" worktree add -q -b "${HOSTILE_BRANCHES[i]}" \
		    "$HOME/w$i"
	done
	for i in "${!HOSTILE_DIRS[@]}"; do
		mkdir -p "$HOME/r/h/$i/${HOSTILE_DIRS[i]}"
	done
}

# visit DIR TYPED: cd to DIR, typed as TYPED, and check that the
# screen shows the prompt atprompt renders there, as plain text.
visit() {
	local want
	want=$(cd "$1" && plain_prompt)
	tmux_run "cd $2" || return 1
	wait_layout "$want" "" || return 1
}

# check_hostile: visit every hostile name.  Each prompt is what atprompt
# meant to show, names without control characters appear as they are,
# nothing ran, and no sequence reached the terminal: the title, the
# bell and the screen above are untouched.
check_hostile() {
	local i name title
	title=$(tmux_get '#{pane_title}')
	tmux_run 'echo still-on-screen' || return 1
	for i in "${!HOSTILE_BRANCHES[@]}"; do
		name=${HOSTILE_BRANCHES[i]}
		visit "$HOME/w$i" "~/w$i" || return 1
		prompt_text | grep -Fq -- "($name)" ||
			tmux_fail "the branch '$name' as it is" || return 1
	done
	for i in "${!HOSTILE_DIRS[@]}"; do
		name=${HOSTILE_DIRS[i]}
		visit "$HOME/r/h/$i/$name" "~/r/h/$i/*" || return 1
		[[ $name == *[[:cntrl:]]* ]] ||
			prompt_text | grep -Fq -- "/$name (" ||
			tmux_fail "the directory '$name' as it is" || return 1
	done
	tmux_screen | grep -q '^still-on-screen$' ||
		tmux_fail "the screen above left alone" || return 1
	[[ $(tmux_get '#{pane_title}') == "$title" ]] ||
		tmux_fail "the title left alone" || return 1
	[[ $(tmux_get '#{window_bell_flag}') == 0 ]] ||
		tmux_fail "no bell" || return 1
	run find "$BATS_TEST_TMPDIR" -name canary
	assert_output ""
}

# A directory name of 9 characters that takes 11 columns: three wide
# characters and a combining accent.
WIDE_DIR=$'\u65e5\u672c\u8a9e-cafe\u0301'

# rows_text FIRST LAST: the text of those rows, one after the other.
rows_text() {
	local row
	for ((row = $1; row <= $2; row++)); do
		tmux_row "$row" -N | tr -d '\n'
	done
}

# check_wide: with WIDE_DIR in the prompt, the shell counts the prompt
# by columns, not characters or bytes: typing wraps where the terminal
# does, and Ctrl-A and Ctrl-E land where they should.
check_wide() {
	local prompt cols x y w n
	mkdir -p "$HOME/r/u/$WIDE_DIR"
	prompt=$(cd "$HOME/r/u/$WIDE_DIR" && plain_prompt)
	w=$((${#prompt} + 2))
	tmux_run "cd ~/r/u/*" || return 1
	read -r cols x y < <(tmux_get '#{pane_width} #{cursor_x} #{cursor_y}')
	((x == w % cols)) ||
		tmux_fail "the prompt $w columns wide" || return 1
	tmux_type "$WRAP_CMD" || return 1
	n=$((w + ${#WRAP_CMD}))
	tmux_poll "the cursor after the command" \
	    cursor_at $((n % cols)) $((y - w / cols + n / cols)) || return 1
	[[ $(rows_text "$((y - w / cols))" "$((y - w / cols + n / cols))") == \
	    "$prompt$WRAP_CMD" ]] ||
		tmux_fail "the prompt and the command, row after row" ||
		return 1
	tmux_keys C-a || return 1
	tmux_poll "the cursor after the prompt" cursor_at "$x" "$y" ||
		return 1
	tmux_keys C-e || return 1
	tmux_poll "the cursor after the command" \
	    cursor_at $((n % cols)) $((y - w / cols + n / cols)) || return 1
}
