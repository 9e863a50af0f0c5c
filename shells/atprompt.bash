# atprompt for bash.  Source this file from ~/.bashrc, or add
#	eval "$(atprompt init bash)"
#
# The prompt text is kept in _atprompt_ps1 and PS1 only references it:
# bash expands PS1 once, and never expands what a variable holds, so no
# branch or path that atprompt prints is ever run as code.

if [[ -z ${_atprompt_bin-} ]]; then
	_atprompt_bin=atprompt
	_atprompt_here=${BASH_SOURCE[0]%/*}
	if [[ -x $_atprompt_here/../../bin/atprompt ]]; then
		_atprompt_bin=$_atprompt_here/../../bin/atprompt
	elif [[ -x $_atprompt_here/../atprompt ]]; then
		_atprompt_bin=$_atprompt_here/../atprompt
	fi
	unset _atprompt_here
fi

# \j in a prompt string is the number of jobs; ${x@P} expands it
# without starting a process.
_atprompt_jobs_escape='\j'

_atprompt_hook() {
	local _atprompt_status=$? _atprompt_ms=0 _atprompt_now _atprompt_jobs
	if [[ -n ${_atprompt_t0-} ]]; then
		_atprompt_now=${EPOCHREALTIME-}
		_atprompt_now=${_atprompt_now/[.,]/}
		if [[ -n $_atprompt_now ]]; then
			_atprompt_ms=$(( (_atprompt_now - _atprompt_t0) / 1000 ))
		fi
		_atprompt_t0=
	fi
	_atprompt_jobs=${_atprompt_jobs_escape@P}
	_atprompt_ps1=$("$_atprompt_bin" --shell bash --in-var \
	    --status "$_atprompt_status" --jobs "${_atprompt_jobs:-0}" \
	    --duration "$_atprompt_ms" 2>/dev/null) || _atprompt_ps1='> '
	if shopt -q promptvars; then
		PS1='${_atprompt_ps1}'
	else
		# Without promptvars PS1 is decoded but not expanded: only
		# backslashes need doubling.
		PS1=${_atprompt_ps1//\\/\\\\}
	fi
	return "$_atprompt_status"
}

# PS0 is expanded as a command starts; the array subscript is arithmetic,
# so it records the start time and expands to nothing.
if [[ -n ${EPOCHREALTIME-} && ${PS0-} != *_atprompt_t0* ]]; then
	PS0=${PS0-}'${_atprompt_nul[_atprompt_t0=${EPOCHREALTIME/[.,]/},0]}'
fi

# Run first, so that the status it reads is the user's command's, and
# hand that status on to every hook after it.
if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
	if [[ " ${PROMPT_COMMAND[*]} " != *" _atprompt_hook "* ]]; then
		PROMPT_COMMAND=(_atprompt_hook "${PROMPT_COMMAND[@]}")
	fi
elif [[ ${PROMPT_COMMAND-} != *_atprompt_hook* ]]; then
	PROMPT_COMMAND="_atprompt_hook${PROMPT_COMMAND:+$'\n'$PROMPT_COMMAND}"
fi
