# atprompt for zsh.  Source this file from ~/.zshrc, or add
#	eval "$(atprompt init zsh)"
#
# PROMPT only references _atprompt_ps1, and PROMPT_SUBST is turned on
# for that at every prompt: zsh never expands what the variable holds,
# it only reads its % escapes, and atprompt doubles every % it prints.
# A prompt holding the text itself would run a branch named $(...) as
# soon as anything (a later hook, a plugin) turned PROMPT_SUBST on.
#
# The prompt never waits long for a slow repository.  precmd starts
# atprompt in the background and waits for it up to _atprompt_wait
# seconds; when it is not done by then, the prompt is drawn from a scan
# with a 1 ms budget (it says ? where it could not finish), and zle
# draws it again from the full answer when that comes.  The full scan
# has ATPROMPT_TIMEOUT milliseconds, or _atprompt_timeout when that is
# not set.  Set either variable before or after sourcing this file.
#
# Every function starts with emulate -L zsh, so the user's options (sh
# emulation, nounset, err_exit, ksh_arrays) do not change how it runs.

typeset -g _atprompt_wait=${_atprompt_wait:-0.05}
typeset -g _atprompt_timeout=${_atprompt_timeout:-10000}
typeset -g _atprompt_fd= _atprompt_pid= _atprompt_t0= _atprompt_ps1='> '

if [[ -z ${_atprompt_bin-} ]]; then
	_atprompt_bin=atprompt
	() {
		emulate -L zsh
		local here=${${(%):-%x}:A:h}
		if [[ -x $here/../../bin/atprompt ]]; then
			_atprompt_bin=$here/../../bin/atprompt
		elif [[ -x $here/../atprompt ]]; then
			_atprompt_bin=$here/../atprompt
		fi
	}
fi

zmodload -F zsh/datetime p:EPOCHREALTIME 2>/dev/null
zmodload -F zsh/system p:sysparams 2>/dev/null

_atprompt_preexec() {
	emulate -L zsh
	_atprompt_async_stop
	_atprompt_t0=${EPOCHREALTIME-}
}

# Outside emulate -L, so that the option outlives the function and the
# user's PROMPT_BANG can be read.  zsh gives every precmd function the
# command's own $?, whatever the one before it returned, so this one
# need not hand it on; under the user's err_exit nothing here may return
# non-zero.  With PROMPT_BANG a ! anywhere in the expanded prompt, even
# from a variable, becomes the history number: a directory named a!b
# would show as a42b, so each ! is doubled then.
_atprompt_precmd() {
	local st=$?
	_atprompt_draw $st
	setopt prompt_subst
	if [[ -o prompt_bang ]]; then
		PROMPT='${_atprompt_ps1//!/!!}'
	else
		PROMPT='${_atprompt_ps1}'
	fi
}

_atprompt_draw() {
	emulate -L zsh
	local st=$1
	local -i ms=0
	local quick
	local -a args

	if [[ -n $_atprompt_t0 && -n ${EPOCHREALTIME-} ]]; then
		(( ms = (EPOCHREALTIME - _atprompt_t0) * 1000 ))
	fi
	_atprompt_t0=
	args=(--shell zsh --status $st --jobs ${(%):-%j} --duration $ms)
	_atprompt_async_stop
	if ! _atprompt_async_start $args; then
		quick=$("$_atprompt_bin" $args --timeout 1 2>/dev/null)
		_atprompt_ps1=${quick:-> }
	fi
	return 0
}

# _atprompt_async_start ARGS...: start the full scan in the background
# and wait for it a moment.  Return 0 with _atprompt_ps1 set when it
# answered in time, or when zle cannot draw a late answer; return 1
# with zle watching for the answer otherwise.
_atprompt_async_start() {
	local text= budget=${ATPROMPT_TIMEOUT:-$_atprompt_timeout}
	local wait=$_atprompt_wait

	[[ -o zle ]] || wait=3600
	# eval: a user's sh emulation would not parse {var}< in this file.
	eval 'exec {_atprompt_fd}< <(
		print -r -- ${sysparams[pid]-}
		exec "$_atprompt_bin" "$@" --timeout $budget \
		    </dev/null 2>/dev/null
	)'
	IFS= read -r -u $_atprompt_fd _atprompt_pid
	if IFS= read -r -t $wait -u $_atprompt_fd -d '' text || [[ -n $text ]]
	then
		_atprompt_async_stop
		_atprompt_ps1=${text:-> }
		return 0
	fi
	zle -F $_atprompt_fd _atprompt_async_done
	return 1
}

# zle calls this when the full scan has answered, or failed.
_atprompt_async_done() {
	emulate -L zsh
	local text=

	IFS= read -r -u $1 -d '' text
	_atprompt_async_stop
	if [[ -n $text && $text != $_atprompt_ps1 ]]; then
		_atprompt_ps1=$text
		zle reset-prompt
	fi
}

# Forget a scan still running for an earlier prompt.
_atprompt_async_stop() {
	[[ -n $_atprompt_fd ]] || return 0
	zle -F $_atprompt_fd 2>/dev/null
	eval 'exec {_atprompt_fd}<&-'
	[[ -z $_atprompt_pid ]] || kill $_atprompt_pid 2>/dev/null
	_atprompt_fd= _atprompt_pid=
}

# Run first, so that the status it reads is the user's command's.
() {
	emulate -L zsh
	typeset -ga precmd_functions preexec_functions
	precmd_functions=(_atprompt_precmd
	    ${precmd_functions:#_atprompt_precmd})
	preexec_functions=(${preexec_functions:#_atprompt_preexec}
	    _atprompt_preexec)
}
